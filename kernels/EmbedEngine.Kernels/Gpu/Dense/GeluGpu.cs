using EmbedEngine.Kernels.Dense;
using ILGPU;

namespace EmbedEngine.Kernels.Gpu.Dense;

/// <summary>
/// <see cref="GeluKernel"/>'s twin: y = ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³), element-wise, and
/// dx = dy ⊙ gelu'(x); one thread per element, in the reference's formulas.
/// </summary>
public static class GeluGpu
{
    private static readonly MapKernels Kernels = new(ForwardKernel, BackwardKernel);

    /// <summary>y = gelu(x) on <paramref name="device"/>; y may be x. Returns once queued.</summary>
    public static void Forward(GpuDevice device, ArrayView<float> x, ArrayView<float> y) => Kernels.Forward(device, x, y);

    /// <summary>dx = dy ⊙ gelu'(x) on <paramref name="device"/>; dx may be dy. Returns once queued.</summary>
    public static void Backward(GpuDevice device, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dx) => Kernels.Backward(device, x, dy, dx);

    private static void ForwardKernel(Index1D i, ArrayView<float> x, ArrayView<float> y)
    {
        float v = x[i];
        y[i] = 0.5f * v * (1f + MathF.Tanh(GeluKernel.Scale * (v + GeluKernel.Cubic * v * v * v)));
    }

    private static void BackwardKernel(Index1D i, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dx)
    {
        float v = x[i], t = MathF.Tanh(GeluKernel.Scale * (v + GeluKernel.Cubic * v * v * v));
        float du = GeluKernel.Scale * (1f + 3f * GeluKernel.Cubic * v * v);
        dx[i] = dy[i] * (0.5f * (1f + t) + 0.5f * v * (1f - t * t) * du);
    }
}
