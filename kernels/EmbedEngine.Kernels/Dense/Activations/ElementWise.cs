using System.Runtime.CompilerServices;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Dense;

/// <summary>An element-wise function y = f(x), for every vector width.</summary>
internal interface IUnaryOperation
{
    /// <summary>f on every lane.</summary>
    static abstract TVec Invoke<TSimd, TVec>(TVec x)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct;
}

/// <summary>An element-wise backward pass dx = g(saved, dy), saved being the forward input or output.</summary>
internal interface IBackwardOperation
{
    /// <summary>g on every lane.</summary>
    static abstract TVec Invoke<TSimd, TVec>(TVec saved, TVec dy)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct;
}

/// <summary>
/// The loops of the element-wise kernels, written once (as System.Numerics.Tensors does with its operator structs):
/// a kernel supplies its per-vector operation and gets the checked, pinned, tail-masked walk over its spans.
/// </summary>
internal static unsafe class ElementWise
{
    /// <summary>Throws unless <paramref name="dy"/> and <paramref name="dx"/> hold <paramref name="input"/> floats.</summary>
    public static void Check(int input, int dy, int dx)
    {
        RowMajor.Length("dy", dy, input);
        RowMajor.Length("dx", dx, input);
    }

    /// <summary>y = TOp(x) over the spans.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Forward<TOp, TSimd, TVec>(ReadOnlySpan<float> x, Span<float> y)
        where TOp : IUnaryOperation
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        RowMajor.Length("y", y.Length, x.Length);
        fixed (float* px = x, py = y) SimdLoop<TSimd, TVec>.Columns(x.Length, new ForwardStep<TOp, TSimd, TVec>(px, py));
    }

    /// <summary>dx = TOp(saved, dy) over the spans.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Backward<TOp, TSimd, TVec>(ReadOnlySpan<float> saved, ReadOnlySpan<float> dy, Span<float> dx)
        where TOp : IBackwardOperation
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        Check(saved.Length, dy.Length, dx.Length);
        fixed (float* ps = saved, pdy = dy, pdx = dx)
            SimdLoop<TSimd, TVec>.Columns(saved.Length, new BackwardStep<TOp, TSimd, TVec>(ps, pdy, pdx));
    }

    private readonly struct ForwardStep<TOp, TSimd, TVec>(float* x, float* y) : IColumnStep<TVec>
        where TOp : IUnaryOperation
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
            => lanes.Store(y + column, TOp.Invoke<TSimd, TVec>(lanes.Load(x + column)));
    }

    private readonly struct BackwardStep<TOp, TSimd, TVec>(float* saved, float* dy, float* dx) : IColumnStep<TVec>
        where TOp : IBackwardOperation
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
            => lanes.Store(dx + column, TOp.Invoke<TSimd, TVec>(lanes.Load(saved + column), lanes.Load(dy + column)));
    }
}
