using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels;

/// <summary>y ← a·x + y.</summary>
public static unsafe class AxpyKernel
{
    /// <summary>y ← a·x + y with the variant chosen at start-up.</summary>
    public static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        switch (IsaDispatch.Active)
        {
            case Isa.Avx512: Avx512(a, x, y); break;
            case Isa.Avx2: Avx2(a, x, y); break;
            default: Scalar(a, x, y); break;
        }
    }

    /// <summary>Reference.</summary>
    public static void Scalar(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"Vector lengths differ: {x.Length} and {y.Length}.");
        for (int i = 0; i < x.Length; i++) y[i] += a * x[i];
    }

    /// <summary>Vector256 with FMA.</summary>
    public static void Avx2(float a, ReadOnlySpan<float> x, Span<float> y) => Vectorized<Simd256, Vector256<float>>(a, x, y);

    /// <summary>Vector512.</summary>
    public static void Avx512(float a, ReadOnlySpan<float> x, Span<float> y) => Vectorized<Simd512, Vector512<float>>(a, x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Vectorized<TSimd, TVec>(float a, ReadOnlySpan<float> x, Span<float> y)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        if (x.Length != y.Length) KernelErrors.LengthsDiffer(x.Length, y.Length);
        fixed (float* px = x, py = y)
            SimdLoop<TSimd, TVec>.Columns(x.Length, new Step<TSimd, TVec>(TSimd.Create(a), px, py));
    }

    /// <summary>y ← a·x + y over one chunk; with a = 1, the dense kernels reuse it to add rows (exact: 1·x rounds to x).</summary>
    internal readonly struct Step<TSimd, TVec>(TVec a, float* x, float* y) : IColumnStep<TVec>
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
            => lanes.Store(y + column, TSimd.MultiplyAdd(a, lanes.Load(x + column), lanes.Load(y + column)));
    }
}
