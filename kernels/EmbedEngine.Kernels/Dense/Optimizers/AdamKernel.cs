using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Dense;

/// <summary>
/// Adam and AdamW as PyTorch computes them. At step t (from 1): g ← g + λw (Adam with weight decay) or
/// w ← w(1 − lr·λ) (AdamW); m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; w ← w − (lr / c₁)·m / (√v / √c₂ + ε)
/// with the bias corrections cᵢ = 1 − βᵢᵗ.
/// </summary>
public static unsafe class AdamKernel
{
    /// <summary>One step over a parameter, with the variant chosen at start-up.</summary>
    /// <param name="weights">w, updated in place.</param>
    /// <param name="gradient">g.</param>
    /// <param name="firstMoment">m, zeros before step 1, updated in place.</param>
    /// <param name="secondMoment">v, zeros before step 1, updated in place.</param>
    /// <param name="settings">The hyperparameters.</param>
    /// <param name="step">t, counting from 1.</param>
    public static void Update(Span<float> weights, ReadOnlySpan<float> gradient, Span<float> firstMoment, Span<float> secondMoment,
        in AdamSettings settings, int step)
    {
        switch (IsaDispatch.Active)
        {
            case Isa.Avx512: Avx512(weights, gradient, firstMoment, secondMoment, settings, step); break;
            case Isa.Avx2: Avx2(weights, gradient, firstMoment, secondMoment, settings, step); break;
            default: Scalar(weights, gradient, firstMoment, secondMoment, settings, step); break;
        }
    }

    /// <summary>Reference.</summary>
    public static void Scalar(Span<float> weights, ReadOnlySpan<float> gradient, Span<float> firstMoment, Span<float> secondMoment,
        in AdamSettings settings, int step)
    {
        var (stepSize, rootCorrection2) = Check(weights.Length, gradient.Length, firstMoment.Length, secondMoment.Length, settings, step);
        float lr = settings.LearningRate, b1 = settings.Beta1, b2 = settings.Beta2, decay = settings.WeightDecay;
        for (int i = 0; i < weights.Length; i++)
        {
            float g = gradient[i];
            if (settings.Decoupled) weights[i] *= 1f - lr * decay;
            else g += decay * weights[i];
            firstMoment[i] = b1 * firstMoment[i] + (1f - b1) * g;
            secondMoment[i] = b2 * secondMoment[i] + (1f - b2) * g * g;
            weights[i] -= stepSize * firstMoment[i] / (MathF.Sqrt(secondMoment[i]) / rootCorrection2 + settings.Epsilon);
        }
    }

    /// <summary>Vector256.</summary>
    public static void Avx2(Span<float> weights, ReadOnlySpan<float> gradient, Span<float> firstMoment, Span<float> secondMoment,
        in AdamSettings settings, int step) =>
        Vectorized<Simd256, Vector256<float>>(weights, gradient, firstMoment, secondMoment, settings, step);

    /// <summary>Vector512.</summary>
    public static void Avx512(Span<float> weights, ReadOnlySpan<float> gradient, Span<float> firstMoment, Span<float> secondMoment,
        in AdamSettings settings, int step) =>
        Vectorized<Simd512, Vector512<float>>(weights, gradient, firstMoment, secondMoment, settings, step);

    /// <summary>Checks the shapes and the step; returns lr/c₁ and √c₂, computed once per call in double.</summary>
    private static (float StepSize, float RootCorrection2) Check(int weights, int gradient, int first, int second,
        in AdamSettings settings, int step)
    {
        SgdKernel.Check(weights, gradient, first);
        SgdKernel.Check(weights, gradient, second);
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        double c1 = 1 - Math.Pow(settings.Beta1, step), c2 = 1 - Math.Pow(settings.Beta2, step);
        return ((float)(settings.LearningRate / c1), (float)Math.Sqrt(c2));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Vectorized<TSimd, TVec>(Span<float> weights, ReadOnlySpan<float> gradient, Span<float> firstMoment,
        Span<float> secondMoment, in AdamSettings settings, int step)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        var (stepSize, rootCorrection2) = Check(weights.Length, gradient.Length, firstMoment.Length, secondMoment.Length, settings, step);
        float decay = settings.WeightDecay;
        // Both kinds of decay in one loop: w is first scaled by `keep` (1 − lr·λ for AdamW, 1 for Adam), and λw is
        // added to g with `coupled` = λ for Adam and 0 for AdamW.
        float keep = settings.Decoupled ? 1f - settings.LearningRate * decay : 1f, coupled = settings.Decoupled ? 0f : decay;
        fixed (float* w = weights, g = gradient, m = firstMoment, v = secondMoment)
            SimdLoop<TSimd, TVec>.Columns(weights.Length, new Step<TSimd, TVec>(
                new Coefficients<TVec>(TSimd.Create(keep), TSimd.Create(coupled), TSimd.Create(settings.Beta1), TSimd.Create(1f - settings.Beta1),
                    TSimd.Create(settings.Beta2), TSimd.Create(1f - settings.Beta2), TSimd.Create(stepSize), TSimd.Create(rootCorrection2),
                    TSimd.Create(settings.Epsilon)), w, g, m, v));
    }

    private readonly record struct Coefficients<TVec>(TVec Keep, TVec Coupled, TVec Beta1, TVec OneMinusBeta1, TVec Beta2,
        TVec OneMinusBeta2, TVec StepSize, TVec RootCorrection2, TVec Epsilon);

    private readonly struct Step<TSimd, TVec>(Coefficients<TVec> k, float* w, float* g, float* m, float* v) : IColumnStep<TVec>
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
        {
            TVec wc = TSimd.Multiply(lanes.Load(w + column), k.Keep);
            TVec gc = TSimd.MultiplyAdd(k.Coupled, wc, lanes.Load(g + column));
            TVec mc = TSimd.MultiplyAdd(k.Beta1, lanes.Load(m + column), TSimd.Multiply(k.OneMinusBeta1, gc));
            TVec vc = TSimd.MultiplyAdd(k.Beta2, lanes.Load(v + column), TSimd.Multiply(TSimd.Multiply(k.OneMinusBeta2, gc), gc));
            lanes.Store(m + column, mc);
            lanes.Store(v + column, vc);
            TVec denominator = TSimd.Add(TSimd.Divide(TSimd.Sqrt(vc), k.RootCorrection2), k.Epsilon);
            lanes.Store(w + column, TSimd.Subtract(wc, TSimd.Divide(TSimd.Multiply(k.StepSize, mc), denominator)));
        }
    }
}
