using EmbedEngine.Kernels.Dense;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Gpu.Dense;

/// <summary>
/// <see cref="AdamKernel"/>'s twin, Adam and AdamW as PyTorch computes them, one thread per weight. The bias
/// corrections are computed once per call on the host, in double, as the CPU kernel does.
/// </summary>
public static class AdamGpu
{
    private static readonly KernelCache<Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, AdamStep>> Launcher =
        new(a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, AdamStep>(Kernel));

    /// <summary>One step over a parameter on <paramref name="device"/>; returns once queued.</summary>
    /// <param name="device">Where the views live.</param>
    /// <param name="weights">w, updated in place.</param>
    /// <param name="gradient">g.</param>
    /// <param name="firstMoment">m, zeros before step 1, updated in place.</param>
    /// <param name="secondMoment">v, zeros before step 1, updated in place.</param>
    /// <param name="settings">The hyperparameters.</param>
    /// <param name="step">t, counting from 1.</param>
    public static void Update(GpuDevice device, ArrayView<float> weights, ArrayView<float> gradient, ArrayView<float> firstMoment,
        ArrayView<float> secondMoment, in AdamSettings settings, int step)
    {
        int length = DeviceViews.Length(weights, "weights"), gradientLength = DeviceViews.Length(gradient, "gradient");
        SgdKernel.Check(length, gradientLength, DeviceViews.Length(firstMoment, "firstMoment"));
        SgdKernel.Check(length, gradientLength, DeviceViews.Length(secondMoment, "secondMoment"));
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        double c1 = 1 - Math.Pow(settings.Beta1, step), c2 = 1 - Math.Pow(settings.Beta2, step);
        // Both kinds of decay in one formula, as the vector variants do: w is scaled by `keep` (1 − lr·λ for AdamW, 1
        // for Adam) and λw joins g through `coupled` (λ for Adam, 0 for AdamW); each leaves the other kind exact.
        float keep = settings.Decoupled ? 1f - settings.LearningRate * settings.WeightDecay : 1f;
        var arguments = new AdamStep(keep, settings.Decoupled ? 0f : settings.WeightDecay, settings.Beta1, settings.Beta2, settings.Epsilon,
            (float)(settings.LearningRate / c1), (float)Math.Sqrt(c2));
        if (length > 0) Launcher.On(device)(length, weights, gradient, firstMoment, secondMoment, arguments);
    }

    private static void Kernel(Index1D i, ArrayView<float> weights, ArrayView<float> gradient, ArrayView<float> firstMoment,
        ArrayView<float> secondMoment, AdamStep s)
    {
        float w = weights[i] * s.Keep, g = gradient[i] + s.Coupled * w;
        float m = s.Beta1 * firstMoment[i] + (1f - s.Beta1) * g;
        float v = s.Beta2 * secondMoment[i] + (1f - s.Beta2) * g * g;
        firstMoment[i] = m;
        secondMoment[i] = v;
        weights[i] = w - s.StepSize * m / (MathF.Sqrt(v) / s.RootCorrection2 + s.Epsilon);
    }

    /// <summary>The coefficients of one step, passed to the kernel as one value (internal: ILGPU's generated launcher must see it).</summary>
    internal readonly record struct AdamStep(float Keep, float Coupled, float Beta1, float Beta2, float Epsilon, float StepSize, float RootCorrection2);
}
