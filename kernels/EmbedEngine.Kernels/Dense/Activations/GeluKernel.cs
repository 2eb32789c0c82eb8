using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Dense;

/// <summary>
/// GELU in the tanh approximation of GPT-2 and BERT (Hendrycks &amp; Gimpel): y = ½x(1 + tanh u) with
/// u = √(2/π)(x + 0.044715x³), element-wise, and its derivative. The vectorized variants use the identity
/// ½(1 + tanh u) = σ(2u), one exp and one division, and σ's derivative for the backward pass.
/// </summary>
public static class GeluKernel
{
    /// <summary>√(2/π).</summary>
    public const float Scale = 0.7978845608f;

    /// <summary>The cubic coefficient of the approximation.</summary>
    public const float Cubic = 0.044715f;

    /// <summary>y = gelu(x), with the variant chosen at start-up; y may be x.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y) =>
        Dispatch.Pick<MapKernel>(ForwardScalar, ForwardAvx2, ForwardAvx512)(x, y);

    /// <summary>dx = dy ⊙ gelu'(x), with the variant chosen at start-up; dx may be dy.</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx) =>
        Dispatch.Pick<MapBackwardKernel>(BackwardScalar, BackwardAvx2, BackwardAvx512)(x, dy, dx);

    /// <summary>Reference.</summary>
    public static void ForwardScalar(ReadOnlySpan<float> x, Span<float> y)
    {
        RowMajor.Length("y", y.Length, x.Length);
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            y[i] = 0.5f * v * (1f + MathF.Tanh(Scale * (v + Cubic * v * v * v)));
        }
    }

    /// <summary>Reference: gelu'(x) = ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²), t = tanh u.</summary>
    public static void BackwardScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        ElementWise.Check(x.Length, dy.Length, dx.Length);
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i], t = MathF.Tanh(Scale * (v + Cubic * v * v * v));
            float du = Scale * (1f + 3f * Cubic * v * v);
            dx[i] = dy[i] * (0.5f * (1f + t) + 0.5f * v * (1f - t * t) * du);
        }
    }

    /// <summary>Vector256.</summary>
    public static void ForwardAvx2(ReadOnlySpan<float> x, Span<float> y) => ElementWise.Forward<Op, Simd256, Vector256<float>>(x, y);

    /// <summary>Vector512.</summary>
    public static void ForwardAvx512(ReadOnlySpan<float> x, Span<float> y) => ElementWise.Forward<Op, Simd512, Vector512<float>>(x, y);

    /// <summary>Vector256.</summary>
    public static void BackwardAvx2(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx) =>
        ElementWise.Backward<Op, Simd256, Vector256<float>>(x, dy, dx);

    /// <summary>Vector512.</summary>
    public static void BackwardAvx512(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx) =>
        ElementWise.Backward<Op, Simd512, Vector512<float>>(x, dy, dx);

    private readonly struct Op : IUnaryOperation, IBackwardOperation
    {
        /// <summary>x·σ(2u).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVec Invoke<TSimd, TVec>(TVec x)
            where TSimd : struct, ISimd<TVec>
            where TVec : struct
            => TSimd.Multiply(x, SimdMath.Sigmoid<TSimd, TVec>(TwiceU<TSimd, TVec>(x)));

        /// <summary>With s = σ(2u): gelu' = s + 2x·s(1 − s)·u'.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVec Invoke<TSimd, TVec>(TVec x, TVec dy)
            where TSimd : struct, ISimd<TVec>
            where TVec : struct
        {
            TVec s = SimdMath.Sigmoid<TSimd, TVec>(TwiceU<TSimd, TVec>(x));
            TVec du = TSimd.MultiplyAdd(TSimd.Multiply(x, x), TSimd.Create(3f * Cubic * Scale), TSimd.Create(Scale));
            TVec slope = TSimd.Multiply(TSimd.Multiply(s, TSimd.Subtract(TSimd.Create(1f), s)), TSimd.Multiply(TSimd.Add(x, x), du));
            return TSimd.Multiply(dy, TSimd.Add(s, slope));
        }

        /// <summary>2u = 2√(2/π)·x·(1 + 0.044715x²).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static TVec TwiceU<TSimd, TVec>(TVec x)
            where TSimd : struct, ISimd<TVec>
            where TVec : struct
            => TSimd.Multiply(TSimd.Multiply(x, TSimd.Create(2f * Scale)),
                TSimd.MultiplyAdd(TSimd.Multiply(x, x), TSimd.Create(Cubic), TSimd.Create(1f)));
    }
}
