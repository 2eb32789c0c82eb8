using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Dense;

/// <summary>ReLU element-wise, y = max(x, 0), and its backward pass dx = dy where x &gt; 0, else 0.</summary>
public static class ReluKernel
{
    /// <summary>y = max(x, 0), with the variant chosen at start-up; y may be x.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y) =>
        Dispatch.Pick<MapKernel>(ForwardScalar, ForwardAvx2, ForwardAvx512)(x, y);

    /// <summary>dx = dy where x &gt; 0, else 0, with the variant chosen at start-up; dx may be dy.</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx) =>
        Dispatch.Pick<MapBackwardKernel>(BackwardScalar, BackwardAvx2, BackwardAvx512)(x, dy, dx);

    /// <summary>Reference.</summary>
    public static void ForwardScalar(ReadOnlySpan<float> x, Span<float> y)
    {
        RowMajor.Length("y", y.Length, x.Length);
        for (int i = 0; i < x.Length; i++) y[i] = Math.Max(x[i], 0f);
    }

    /// <summary>Reference.</summary>
    public static void BackwardScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        ElementWise.Check(x.Length, dy.Length, dx.Length);
        for (int i = 0; i < x.Length; i++) dx[i] = x[i] > 0f ? dy[i] : 0f;
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
        /// <summary>max(x, 0), x second so a NaN stays NaN as in the reference.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVec Invoke<TSimd, TVec>(TVec x)
            where TSimd : struct, ISimd<TVec>
            where TVec : struct
            => TSimd.Max(TSimd.Zero, x);

        /// <summary>dy where x &gt; 0.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVec Invoke<TSimd, TVec>(TVec x, TVec dy)
            where TSimd : struct, ISimd<TVec>
            where TVec : struct
            => TSimd.Select(TSimd.GreaterThan(x, TSimd.Zero), dy, TSimd.Zero);
    }
}
