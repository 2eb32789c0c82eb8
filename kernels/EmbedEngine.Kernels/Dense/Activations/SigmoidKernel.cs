using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Dense;

/// <summary>The logistic function σ(x) = 1 / (1 + e⁻ˣ) element-wise (exact, unlike word2vec's table in <see cref="Sigmoid"/>), and its backward pass dx = dy ⊙ y(1 − y) from the forward output y.</summary>
public static unsafe class SigmoidKernel
{
    /// <summary>y = σ(x), with the variant chosen at start-up; y may be x.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        switch (IsaDispatch.Active)
        {
            case Isa.Avx512: ForwardAvx512(x, y); break;
            case Isa.Avx2: ForwardAvx2(x, y); break;
            default: ForwardScalar(x, y); break;
        }
    }

    /// <summary>dx = dy ⊙ y(1 − y), with the variant chosen at start-up; dx may be dy.</summary>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        switch (IsaDispatch.Active)
        {
            case Isa.Avx512: BackwardAvx512(y, dy, dx); break;
            case Isa.Avx2: BackwardAvx2(y, dy, dx); break;
            default: BackwardScalar(y, dy, dx); break;
        }
    }

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
    public static void ForwardAvx2(ReadOnlySpan<float> x, Span<float> y) => Forward<Simd256, Vector256<float>>(x, y);

    /// <summary>Vector512.</summary>
    public static void ForwardAvx512(ReadOnlySpan<float> x, Span<float> y) => Forward<Simd512, Vector512<float>>(x, y);

    /// <summary>Vector256.</summary>
    public static void BackwardAvx2(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) =>
        Backward<Simd256, Vector256<float>>(y, dy, dx);

    /// <summary>Vector512.</summary>
    public static void BackwardAvx512(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) =>
        Backward<Simd512, Vector512<float>>(y, dy, dx);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Forward<TSimd, TVec>(ReadOnlySpan<float> x, Span<float> y)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        RowMajor.Length("y", y.Length, x.Length);
        fixed (float* px = x, py = y) SimdLoop<TSimd, TVec>.Columns(x.Length, new ForwardStep<TSimd, TVec>(px, py));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Backward<TSimd, TVec>(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        ElementWise.Check(y.Length, dy.Length, dx.Length);
        fixed (float* py = y, pdy = dy, pdx = dx)
            SimdLoop<TSimd, TVec>.Columns(y.Length, new BackwardStep<TSimd, TVec>(py, pdy, pdx));
    }

    private readonly struct ForwardStep<TSimd, TVec>(float* x, float* y) : IColumnStep<TVec>
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
            => lanes.Store(y + column, SimdMath.Sigmoid<TSimd, TVec>(lanes.Load(x + column)));
    }

    private readonly struct BackwardStep<TSimd, TVec>(float* y, float* dy, float* dx) : IColumnStep<TVec>
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
        {
            TVec v = lanes.Load(y + column);
            lanes.Store(dx + column, TSimd.Multiply(TSimd.Multiply(lanes.Load(dy + column), v), TSimd.Subtract(TSimd.Create(1f), v)));
        }
    }
}
