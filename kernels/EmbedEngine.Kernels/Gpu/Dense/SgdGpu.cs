using EmbedEngine.Kernels.Dense;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Gpu.Dense;

/// <summary><see cref="SgdKernel"/>'s twin: v ← μv + g; w ← w − lr·(Nesterov ? g + μv : v); one thread per weight.</summary>
public static class SgdGpu
{
    private static readonly KernelCache<Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, float, float, int>> Launcher =
        new(a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, float, float, int>(Kernel));

    /// <summary>One step over a parameter on <paramref name="device"/>; returns once queued.</summary>
    public static void Update(GpuDevice device, ArrayView<float> weights, ArrayView<float> gradient, ArrayView<float> velocity,
        float learningRate, float momentum, bool nesterov)
    {
        int length = DeviceViews.Length(weights, "weights");
        SgdKernel.Check(length, DeviceViews.Length(gradient, "gradient"), DeviceViews.Length(velocity, "velocity"));
        if (length > 0) Launcher.On(device)(length, weights, gradient, velocity, learningRate, momentum, nesterov ? 1 : 0);
    }

    /// <summary>Nesterov is 0 or 1: kernel arguments must be blittable, and bool is not.</summary>
    private static void Kernel(Index1D i, ArrayView<float> weights, ArrayView<float> gradient, ArrayView<float> velocity,
        float learningRate, float momentum, int nesterov)
    {
        float v = momentum * velocity[i] + gradient[i];
        velocity[i] = v;
        weights[i] -= learningRate * (nesterov != 0 ? gradient[i] + momentum * v : v);
    }
}
