using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Gpu;

/// <summary>y ← a·x + y on the GPU (<see cref="AxpyKernel"/>'s twin): one thread per element.</summary>
public static class AxpyGpu
{
    private static readonly KernelCache<Action<Index1D, float, ArrayView<float>, ArrayView<float>>> Launcher =
        new(a => a.LoadAutoGroupedStreamKernel<Index1D, float, ArrayView<float>, ArrayView<float>>(Kernel));

    /// <summary>y ← a·x + y on <paramref name="device"/>; returns once the kernel is queued.</summary>
    public static void Axpy(GpuDevice device, float a, ArrayView<float> x, ArrayView<float> y)
    {
        if (x.Length != y.Length) KernelErrors.LengthsDiffer((int)x.Length, (int)y.Length);
        if (x.Length > 0) Launcher.On(device)((int)x.Length, a, x, y);
    }

    private static void Kernel(Index1D i, float a, ArrayView<float> x, ArrayView<float> y) => y[i] += a * x[i];
}
