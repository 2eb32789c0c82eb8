using System.CommandLine;
using EmbedEngine.Kernels;
using EmbedEngine.Kernels.Gpu;

namespace EmbedEngine.Cli.Commands;

/// <summary><c>embed info</c>: which kernel variant runs here, and why.</summary>
internal static class InfoCommand
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("info", "Show the kernel variant in use, what this CPU supports and the GPUs found.");
        command.SetAction(_ =>
        {
            output.WriteLine($"kernels: {IsaDispatch.Active.ToString().ToLowerInvariant()}" +
                (Environment.GetEnvironmentVariable(IsaDispatch.EnvironmentVariable) is { Length: > 0 } forced
                    ? $" (forced by {IsaDispatch.EnvironmentVariable}={forced})" : " (best supported)"));
            output.WriteLine($"supported: {string.Join(", ", IsaDispatch.Supported).ToLowerInvariant()}");
            output.WriteLine($"cores: {Environment.ProcessorCount}");
            output.WriteLine($"runtime: {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
            IReadOnlyList<string> gpus = GpuDevice.CudaDevices();
            output.WriteLine(gpus.Count == 0
                ? "gpus: none found by ILGPU (CUDA); --device cuda is unavailable here"
                : $"gpus: {string.Join("; ", gpus.Select((g, i) => $"cuda:{i} {g}"))}");
            return ExitCodes.Success;
        });
        return command;
    }
}
