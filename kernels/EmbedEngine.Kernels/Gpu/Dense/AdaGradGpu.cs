using EmbedEngine.Kernels.Dense;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Gpu.Dense;

/// <summary><see cref="AdaGradKernel"/>'s twin: s ← s + g²; w ← w − lr·g / (√s + ε); one thread per weight.</summary>
public static class AdaGradGpu
{
    private static readonly KernelCache<Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, float, float>> Launcher =
        new(a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, float, float>(Kernel));

    /// <summary>One step over a parameter on <paramref name="device"/>; returns once queued.</summary>
    public static void Update(GpuDevice device, ArrayView<float> weights, ArrayView<float> gradient, ArrayView<float> squareSums,
        float learningRate, float epsilon)
    {
        int length = DeviceViews.Length(weights, "weights");
        SgdKernel.Check(length, DeviceViews.Length(gradient, "gradient"), DeviceViews.Length(squareSums, "squareSums"));
        if (length > 0) Launcher.On(device)(length, weights, gradient, squareSums, learningRate, epsilon);
    }

    private static void Kernel(Index1D i, ArrayView<float> weights, ArrayView<float> gradient, ArrayView<float> squareSums,
        float learningRate, float epsilon)
    {
        float g = gradient[i], s = squareSums[i] + g * g;
        squareSums[i] = s;
        weights[i] -= learningRate * g / (MathF.Sqrt(s) + epsilon);
    }
}
