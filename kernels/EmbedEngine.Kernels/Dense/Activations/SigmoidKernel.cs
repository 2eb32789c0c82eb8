using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Dense;

/// <summary>The logistic function σ(x) = 1 / (1 + e⁻ˣ) element-wise (exact, unlike word2vec's table in <see cref="Sigmoid"/>), and its backward pass dx = dy ⊙ y(1 − y) from the forward output y.</summary>
public static class SigmoidKernel
{
    /// <summary>y = σ(x), with the variant chosen at start-up; y may be x.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y) =>
        Dispatch.Pick<MapKernel>(ForwardScalar, ForwardAvx2, ForwardAvx512)(x, y);

    /// <summary>dx = dy ⊙ y(1 − y), with the variant chosen at start-up; dx may be dy.</summary>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) =>
        Dispatch.Pick<MapBackwardKernel>(BackwardScalar, BackwardAvx2, BackwardAvx512)(y, dy, dx);

    /// <summary>Reference.</summary>
    public static void ForwardScalar(ReadOnlySpan<float> x, Span<float> y)
    {
        RowMajor.Length("y", y.Length, x.Length);
        for (int i = 0; i < x.Length; i++) y[i] = Sigmoid.Exact(x[i]);
    }

    /// <summary>Reference.</summary>
    public static void BackwardScalar(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        ElementWise.Check(y.Length, dy.Length, dx.Length);
        for (int i = 0; i < y.Length; i++) dx[i] = dy[i] * y[i] * (1f - y[i]);
    }

    /// <summary>Vector256.</summary>
    public static void ForwardAvx2(ReadOnlySpan<float> x, Span<float> y) => ElementWise.Forward<Op, Simd256, Vector256<float>>(x, y);

    /// <summary>Vector512.</summary>
    public static void ForwardAvx512(ReadOnlySpan<float> x, Span<float> y) => ElementWise.Forward<Op, Simd512, Vector512<float>>(x, y);

    /// <summary>Vector256.</summary>
    public static void BackwardAvx2(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) =>
        ElementWise.Backward<Op, Simd256, Vector256<float>>(y, dy, dx);

    /// <summary>Vector512.</summary>
    public static void BackwardAvx512(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) =>
        ElementWise.Backward<Op, Simd512, Vector512<float>>(y, dy, dx);

    private readonly struct Op : IUnaryOperation, IBackwardOperation
    {
        /// <summary>σ(x).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVec Invoke<TSimd, TVec>(TVec x)
            where TSimd : struct, ISimd<TVec>
            where TVec : struct
            => SimdMath.Sigmoid<TSimd, TVec>(x);

        /// <summary>dy·y(1 − y), in the reference's order.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVec Invoke<TSimd, TVec>(TVec y, TVec dy)
            where TSimd : struct, ISimd<TVec>
            where TVec : struct
            => TSimd.Multiply(TSimd.Multiply(dy, y), TSimd.Subtract(TSimd.Create(1f), y));
    }
}
