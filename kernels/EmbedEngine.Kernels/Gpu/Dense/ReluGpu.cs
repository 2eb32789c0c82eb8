using EmbedEngine.Kernels.Dense;
using ILGPU;

namespace EmbedEngine.Kernels.Gpu.Dense;

/// <summary><see cref="ReluKernel"/>'s twin: y = max(x, 0) and dx = dy where x &gt; 0, else 0; one thread per element.</summary>
public static class ReluGpu
{
    private static readonly MapKernels Kernels = new(ForwardKernel, BackwardKernel);

    /// <summary>y = max(x, 0) on <paramref name="device"/>; y may be x. Returns once queued.</summary>
    public static void Forward(GpuDevice device, ArrayView<float> x, ArrayView<float> y) => Kernels.Forward(device, x, y);

    /// <summary>dx = dy where x &gt; 0, else 0 on <paramref name="device"/>; dx may be dy. Returns once queued.</summary>
    public static void Backward(GpuDevice device, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dx) => Kernels.Backward(device, x, dy, dx);

    /// <summary>x second, so a NaN stays NaN as in the reference.</summary>
    private static void ForwardKernel(Index1D i, ArrayView<float> x, ArrayView<float> y) => y[i] = Math.Max(0f, x[i]);

    private static void BackwardKernel(Index1D i, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dx) =>
        dx[i] = x[i] > 0f ? dy[i] : 0f;
}
