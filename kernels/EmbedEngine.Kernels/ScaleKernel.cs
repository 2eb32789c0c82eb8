using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels;

/// <summary>x ← a·x.</summary>
public static unsafe class ScaleKernel
{
    /// <summary>x ← a·x with the variant chosen at start-up.</summary>
    public static void Scale(float a, Span<float> x)
    {
        switch (IsaDispatch.Active)
        {
            case Isa.Avx512: Avx512(a, x); break;
            case Isa.Avx2: Avx2(a, x); break;
            default: Scalar(a, x); break;
        }
    }

    /// <summary>Reference.</summary>
    public static void Scalar(float a, Span<float> x)
    {
        for (int i = 0; i < x.Length; i++) x[i] *= a;
    }

    /// <summary>Vector256.</summary>
    public static void Avx2(float a, Span<float> x) => Vectorized<Simd256, Vector256<float>>(a, x);

    /// <summary>Vector512.</summary>
    public static void Avx512(float a, Span<float> x) => Vectorized<Simd512, Vector512<float>>(a, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Vectorized<TSimd, TVec>(float a, Span<float> x)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        fixed (float* px = x)
            SimdLoop<TSimd, TVec>.Columns(x.Length, new Step<TSimd, TVec>(TSimd.Create(a), px));
    }

    /// <summary>x ← a·x over one chunk; the softmax reuses it to divide by the row sum.</summary>
    internal readonly struct Step<TSimd, TVec>(TVec a, float* x) : IColumnStep<TVec>
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
            => lanes.Store(x + column, TSimd.Multiply(a, lanes.Load(x + column)));
    }
}
