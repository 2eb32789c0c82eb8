using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Dense;

/// <summary>AdaGrad as PyTorch defines it: s ← s + g², then w ← w − lr·g / (√s + ε).</summary>
public static unsafe class AdaGradKernel
{
    /// <summary>One step over a parameter, with the variant chosen at start-up.</summary>
    /// <param name="weights">w, updated in place.</param>
    /// <param name="gradient">g.</param>
    /// <param name="squareSums">s, the running sum of squared gradients, updated in place.</param>
    /// <param name="learningRate">lr.</param>
    /// <param name="epsilon">ε, keeps the first steps finite.</param>
    public static void Update(Span<float> weights, ReadOnlySpan<float> gradient, Span<float> squareSums, float learningRate, float epsilon)
    {
        switch (IsaDispatch.Active)
        {
            case Isa.Avx512: Avx512(weights, gradient, squareSums, learningRate, epsilon); break;
            case Isa.Avx2: Avx2(weights, gradient, squareSums, learningRate, epsilon); break;
            default: Scalar(weights, gradient, squareSums, learningRate, epsilon); break;
        }
    }

    /// <summary>Reference.</summary>
    public static void Scalar(Span<float> weights, ReadOnlySpan<float> gradient, Span<float> squareSums, float learningRate, float epsilon)
    {
        SgdKernel.Check(weights.Length, gradient.Length, squareSums.Length);
        for (int i = 0; i < weights.Length; i++)
        {
            squareSums[i] += gradient[i] * gradient[i];
            weights[i] -= learningRate * gradient[i] / (MathF.Sqrt(squareSums[i]) + epsilon);
        }
    }

    /// <summary>Vector256.</summary>
    public static void Avx2(Span<float> weights, ReadOnlySpan<float> gradient, Span<float> squareSums, float learningRate, float epsilon) =>
        Vectorized<Simd256, Vector256<float>>(weights, gradient, squareSums, learningRate, epsilon);

    /// <summary>Vector512.</summary>
    public static void Avx512(Span<float> weights, ReadOnlySpan<float> gradient, Span<float> squareSums, float learningRate, float epsilon) =>
        Vectorized<Simd512, Vector512<float>>(weights, gradient, squareSums, learningRate, epsilon);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Vectorized<TSimd, TVec>(Span<float> weights, ReadOnlySpan<float> gradient, Span<float> squareSums,
        float learningRate, float epsilon)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        SgdKernel.Check(weights.Length, gradient.Length, squareSums.Length);
        fixed (float* w = weights, g = gradient, s = squareSums)
            SimdLoop<TSimd, TVec>.Columns(weights.Length,
                new Step<TSimd, TVec>(TSimd.Create(learningRate), TSimd.Create(epsilon), w, g, s));
    }

    private readonly struct Step<TSimd, TVec>(TVec learningRate, TVec epsilon, float* w, float* g, float* s) : IColumnStep<TVec>
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
        {
            TVec gc = lanes.Load(g + column);
            TVec sc = TSimd.MultiplyAdd(gc, gc, lanes.Load(s + column));
            lanes.Store(s + column, sc);
            TVec step = TSimd.Divide(TSimd.Multiply(learningRate, gc), TSimd.Add(TSimd.Sqrt(sc), epsilon));
            lanes.Store(w + column, TSimd.Subtract(lanes.Load(w + column), step));
        }
    }
}
