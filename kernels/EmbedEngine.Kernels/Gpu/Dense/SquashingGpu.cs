using EmbedEngine.Kernels.Dense;
using ILGPU;

namespace EmbedEngine.Kernels.Gpu.Dense;

/// <summary>
/// <see cref="TanhKernel"/>'s and <see cref="SigmoidKernel"/>'s twins, one thread per element in the references'
/// formulas. Both backward passes read the saved output y, not the input, as the CPU kernels do.
/// </summary>
public static class SquashingGpu
{
    /// <summary>y = tanh x; dx = dy ⊙ (1 − y²), given y.</summary>
    public static readonly MapKernels Tanh = new(TanhForward, TanhBackward);

    /// <summary>y = 1 / (1 + e^−x); dx = dy ⊙ y(1 − y), given y.</summary>
    public static readonly MapKernels Sigmoid = new(SigmoidForward, SigmoidBackward);

    private static void TanhForward(Index1D i, ArrayView<float> x, ArrayView<float> y) => y[i] = MathF.Tanh(x[i]);

    private static void TanhBackward(Index1D i, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx) =>
        dx[i] = dy[i] * (1f - y[i] * y[i]);

    private static void SigmoidForward(Index1D i, ArrayView<float> x, ArrayView<float> y) => y[i] = Kernels.Sigmoid.Exact(x[i]);

    private static void SigmoidBackward(Index1D i, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx) =>
        dx[i] = dy[i] * y[i] * (1f - y[i]);
}
