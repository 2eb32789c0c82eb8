namespace EmbedEngine.Tensors.Tests;

/// <summary>
/// The devices an operation's tests run on: the CPU, and a GPU — ILGPU's CPU accelerator unless
/// <c>EMBED_DEVICE</c> names a real one (<c>EMBED_DEVICE=cuda</c>).
/// </summary>
public static class TestDevices
{
    /// <summary>The GPU device's name.</summary>
    public static string GpuName => Environment.GetEnvironmentVariable("EMBED_DEVICE") is { Length: > 0 } spec ? spec : "emulated";

    /// <summary>The GPU device.</summary>
    public static Device Gpu => Device.Open(GpuName);

    /// <summary>The CPU and the GPU, by name, for theories.</summary>
    public static TheoryData<string> Both => new() { "cpu", GpuName };
}
