using System.CommandLine;
using EmbedEngine.Kernels;

namespace EmbedEngine.Cli.Commands;

/// <summary><c>embed info</c>: which kernel variant runs here, and why.</summary>
internal static class InfoCommand
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("info", "Show the kernel variant in use and what this CPU supports.");
        command.SetAction(_ =>
        {
            output.WriteLine($"kernels: {IsaDispatch.Active.ToString().ToLowerInvariant()}" +
                (Environment.GetEnvironmentVariable(IsaDispatch.EnvironmentVariable) is { Length: > 0 } forced
                    ? $" (forced by {IsaDispatch.EnvironmentVariable}={forced})" : " (best supported)"));
            output.WriteLine($"supported: {string.Join(", ", IsaDispatch.Supported).ToLowerInvariant()}");
            output.WriteLine($"cores: {Environment.ProcessorCount}");
            output.WriteLine($"runtime: {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
            return ExitCodes.Success;
        });
        return command;
    }
}
