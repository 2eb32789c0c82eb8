using EmbedEngine.Kernels.Dense;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Gpu.Dense;

/// <summary>
/// <see cref="DropoutKernel"/>'s twin: element i is kept when <see cref="CounterRandom.Uniform"/>(seed, i) ≥ p and then
/// scaled by 1/(1 − p). The mask is the same function of (seed, i) as on the CPU, so both draw the same mask.
/// </summary>
public static class DropoutGpu
{
    private static readonly KernelCache<Action<Index1D, ArrayView<float>, ArrayView<float>, float, float, uint>> Launcher =
        new(a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, float, float, uint>(Kernel));

    /// <summary>y = x ⊙ mask / (1 − p) on <paramref name="device"/>; y may be x. Returns once queued.</summary>
    /// <param name="device">Where the views live.</param>
    /// <param name="x">The input.</param>
    /// <param name="y">The output, as long as x.</param>
    /// <param name="probability">p in [0, 1]: the chance an element is dropped.</param>
    /// <param name="seed">Selects the mask; the backward pass takes the same one.</param>
    public static void Forward(GpuDevice device, ArrayView<float> x, ArrayView<float> y, float probability, uint seed)
    {
        int length = DeviceViews.Length(x, "x");
        RowMajor.Length("y", DeviceViews.Length(y, "y"), length);
        if (!(probability >= 0f && probability <= 1f))
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "The dropout probability must lie in [0, 1].");
        float scale = probability < 1f ? 1f / (1f - probability) : 0f;
        if (length > 0) Launcher.On(device)(length, x, y, probability, scale, seed);
    }

    /// <summary>dx = dy ⊙ mask / (1 − p) under the forward pass's seed: dropout is linear, so this is the forward map.</summary>
    public static void Backward(GpuDevice device, ArrayView<float> dy, ArrayView<float> dx, float probability, uint seed) =>
        Forward(device, dy, dx, probability, seed);

    private static void Kernel(Index1D i, ArrayView<float> x, ArrayView<float> y, float probability, float scale, uint seed) =>
        y[i] = CounterRandom.Uniform(seed, i) >= probability ? x[i] * scale : 0f;
}
