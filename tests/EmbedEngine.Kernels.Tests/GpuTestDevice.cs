using EmbedEngine.Kernels.Gpu;

namespace EmbedEngine.Kernels.Tests;

/// <summary>
/// One GPU device for the test run: ILGPU's CPU accelerator, or the GPU named by <c>EMBED_DEVICE</c> (for example
/// <c>EMBED_DEVICE=cuda</c> on a machine with one), so the same tests run on both.
/// </summary>
public static class GpuTestDevice
{
    private static readonly Lazy<GpuDevice> Device = new(GpuDevice.FromEnvironment);

    /// <summary>The shared device; opened on first use.</summary>
    public static GpuDevice Shared => Device.Value;

    /// <summary>
    /// Threads per group for the training kernels: on the emulator one warp (4), so every cross-thread path runs
    /// (their default there is 1); on a GPU their own default (0).
    /// </summary>
    public static int ThreadsPerGroup => Shared.Kind == GpuKind.Emulated ? Shared.Accelerator.WarpSize : 0;
}
