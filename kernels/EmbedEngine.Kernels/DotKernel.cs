using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels;

/// <summary>Inner product of two vectors.</summary>
public static unsafe class DotKernel
{
    /// <summary>x · y with the variant chosen at start-up.</summary>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => IsaDispatch.Active switch
    {
        Isa.Avx512 => Avx512(x, y),
        Isa.Avx2 => Avx2(x, y),
        _ => Scalar(x, y),
    };

    /// <summary>Reference: one sequential sum.</summary>
    public static float Scalar(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        CheckLengths(x, y);
        float sum = 0f;
        for (int i = 0; i < x.Length; i++) sum += x[i] * y[i];
        return sum;
    }

    /// <summary>Vector256 with four independent FMA chains to hide FMA latency; the tail is one masked step.</summary>
    public static float Avx2(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        CheckLengths(x, y);
        fixed (float* px = x, py = y) return SimdLoop<Simd256, Vector256<float>>.Dot(px, py, x.Length);
    }

    /// <summary>Vector512 with four independent FMA chains; the tail is one masked step.</summary>
    public static float Avx512(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        CheckLengths(x, y);
        fixed (float* px = x, py = y) return SimdLoop<Simd512, Vector512<float>>.Dot(px, py, x.Length);
    }

    private static void CheckLengths(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length) KernelErrors.LengthsDiffer(x.Length, y.Length);
    }
}
