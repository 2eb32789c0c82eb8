using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Dense;

/// <summary>
/// SGD with momentum, as PyTorch defines it: v ← μv + g, then w ← w − lr·v, or with Nesterov momentum
/// w ← w − lr·(g + μv). μ = 0 is plain SGD.
/// </summary>
public static unsafe class SgdKernel
{
    /// <summary>One step over a parameter, with the variant chosen at start-up.</summary>
    /// <param name="weights">w, updated in place.</param>
    /// <param name="gradient">g.</param>
    /// <param name="velocity">v, the momentum buffer, updated in place (zeros before the first step).</param>
    /// <param name="learningRate">lr.</param>
    /// <param name="momentum">μ.</param>
    /// <param name="nesterov">Step along g + μv instead of v.</param>
    public static void Update(Span<float> weights, ReadOnlySpan<float> gradient, Span<float> velocity, float learningRate,
        float momentum, bool nesterov)
    {
        switch (IsaDispatch.Active)
        {
            case Isa.Avx512: Avx512(weights, gradient, velocity, learningRate, momentum, nesterov); break;
            case Isa.Avx2: Avx2(weights, gradient, velocity, learningRate, momentum, nesterov); break;
            default: Scalar(weights, gradient, velocity, learningRate, momentum, nesterov); break;
        }
    }

    /// <summary>Reference.</summary>
    public static void Scalar(Span<float> weights, ReadOnlySpan<float> gradient, Span<float> velocity, float learningRate,
        float momentum, bool nesterov)
    {
        Check(weights.Length, gradient.Length, velocity.Length);
        for (int i = 0; i < weights.Length; i++)
        {
            velocity[i] = momentum * velocity[i] + gradient[i];
            float step = nesterov ? gradient[i] + momentum * velocity[i] : velocity[i];
            weights[i] -= learningRate * step;
        }
    }

    /// <summary>Vector256.</summary>
    public static void Avx2(Span<float> weights, ReadOnlySpan<float> gradient, Span<float> velocity, float learningRate,
        float momentum, bool nesterov) =>
        Vectorized<Simd256, Vector256<float>>(weights, gradient, velocity, learningRate, momentum, nesterov);

    /// <summary>Vector512.</summary>
    public static void Avx512(Span<float> weights, ReadOnlySpan<float> gradient, Span<float> velocity, float learningRate,
        float momentum, bool nesterov) =>
        Vectorized<Simd512, Vector512<float>>(weights, gradient, velocity, learningRate, momentum, nesterov);

    /// <summary>Checks that the gradient and the state are as long as the weights.</summary>
    internal static void Check(int weights, int gradient, int state)
    {
        RowMajor.Length("gradient", gradient, weights);
        RowMajor.Length("state", state, weights);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Vectorized<TSimd, TVec>(Span<float> weights, ReadOnlySpan<float> gradient, Span<float> velocity,
        float learningRate, float momentum, bool nesterov)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        Check(weights.Length, gradient.Length, velocity.Length);
        // Nesterov is a factor: step = g·[nesterov] + μ'·v with μ' = μ or 1, so one loop serves both.
        TVec gradientShare = TSimd.Create(nesterov ? 1f : 0f), velocityShare = TSimd.Create(nesterov ? momentum : 1f);
        fixed (float* w = weights, g = gradient, v = velocity)
            SimdLoop<TSimd, TVec>.Columns(weights.Length, new Step<TSimd, TVec>(TSimd.Create(-learningRate), TSimd.Create(momentum),
                gradientShare, velocityShare, w, g, v));
    }

    private readonly struct Step<TSimd, TVec>(TVec negativeRate, TVec momentum, TVec gradientShare, TVec velocityShare,
        float* w, float* g, float* v) : IColumnStep<TVec>
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
        {
            TVec gc = lanes.Load(g + column);
            TVec vc = TSimd.MultiplyAdd(momentum, lanes.Load(v + column), gc);
            TVec step = TSimd.MultiplyAdd(velocityShare, vc, TSimd.Multiply(gradientShare, gc));
            lanes.Store(v + column, vc);
            lanes.Store(w + column, TSimd.MultiplyAdd(negativeRate, step, lanes.Load(w + column)));
        }
    }
}
