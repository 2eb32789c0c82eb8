using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Dense;

/// <summary>ReLU element-wise, y = max(x, 0), and its backward pass dx = dy where x &gt; 0, else 0.</summary>
public static unsafe class ReluKernel
{
    /// <summary>y = max(x, 0), with the variant chosen at start-up; y may be x.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        switch (IsaDispatch.Active)
        {
            case Isa.Avx512: ForwardAvx512(x, y); break;
            case Isa.Avx2: ForwardAvx2(x, y); break;
            default: ForwardScalar(x, y); break;
        }
    }

    /// <summary>dx = dy where x &gt; 0, else 0, with the variant chosen at start-up; dx may be dy.</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        switch (IsaDispatch.Active)
        {
            case Isa.Avx512: BackwardAvx512(x, dy, dx); break;
            case Isa.Avx2: BackwardAvx2(x, dy, dx); break;
            default: BackwardScalar(x, dy, dx); break;
        }
    }

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
    public static void ForwardAvx2(ReadOnlySpan<float> x, Span<float> y) => Forward<Simd256, Vector256<float>>(x, y);

    /// <summary>Vector512.</summary>
    public static void ForwardAvx512(ReadOnlySpan<float> x, Span<float> y) => Forward<Simd512, Vector512<float>>(x, y);

    /// <summary>Vector256.</summary>
    public static void BackwardAvx2(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx) =>
        Backward<Simd256, Vector256<float>>(x, dy, dx);

    /// <summary>Vector512.</summary>
    public static void BackwardAvx512(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx) =>
        Backward<Simd512, Vector512<float>>(x, dy, dx);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Forward<TSimd, TVec>(ReadOnlySpan<float> x, Span<float> y)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        RowMajor.Length("y", y.Length, x.Length);
        fixed (float* px = x, py = y) SimdLoop<TSimd, TVec>.Columns(x.Length, new ForwardStep<TSimd, TVec>(px, py));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Backward<TSimd, TVec>(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        ElementWise.Check(x.Length, dy.Length, dx.Length);
        fixed (float* px = x, pdy = dy, pdx = dx)
            SimdLoop<TSimd, TVec>.Columns(x.Length, new BackwardStep<TSimd, TVec>(px, pdy, pdx));
    }

    private readonly struct ForwardStep<TSimd, TVec>(float* x, float* y) : IColumnStep<TVec>
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
            => lanes.Store(y + column, TSimd.Max(lanes.Load(x + column), TSimd.Zero));
    }

    private readonly struct BackwardStep<TSimd, TVec>(float* x, float* dy, float* dx) : IColumnStep<TVec>
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
        {
            TVec v = lanes.Load(x + column);
            lanes.Store(dx + column, TSimd.Select(TSimd.GreaterThan(v, TSimd.Zero), lanes.Load(dy + column), TSimd.Zero));
        }
    }
}
