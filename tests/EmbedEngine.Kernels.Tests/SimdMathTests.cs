using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Tests;

/// <summary>
/// The vector exp, tanh and σ against double precision over their whole range, every 512th float and both widths:
/// the measured worst relative errors must stay within the constants the harness derives its tolerances from.
/// </summary>
public class SimdMathTests
{
    /// <summary>Every 512th float bit pattern: about half a million points that cover every exponent of the range.</summary>
    private const int BitStride = 512;

    [Fact]
    public void Exp_stays_within_its_stated_relative_error() =>
        AssertWorst("exp", Sweep(-87.5f, SimdMath.ExpMaxArgument), SimdMath.ExpRelativeError, Math.Exp,
            SimdMath.Exp<Simd256, Vector256<float>>, SimdMath.Exp<Simd512, Vector512<float>>);

    [Fact]
    public void Exp_of_non_positive_arguments_stays_within_its_stated_relative_error() =>
        AssertWorst("exp (x ≤ 0)", Sweep(-87.5f, 0f), SimdMath.ExpNonPositiveRelativeError, Math.Exp,
            SimdMath.ExpNonPositive<Simd256, Vector256<float>>, SimdMath.ExpNonPositive<Simd512, Vector512<float>>);

    [Fact]
    public void Exp_of_non_positive_arguments_is_zero_below_the_range_and_keeps_nan()
    {
        float[] x = [-1000f, float.NegativeInfinity, float.NaN, 0f, -1f];
        float[] narrow = Apply<Simd256, Vector256<float>>(x, SimdMath.ExpNonPositive<Simd256, Vector256<float>>);
        Assert.Equal([0f, 0f], narrow[..2]);
        Assert.True(float.IsNaN(narrow[2]));
        Assert.Equal(1f, narrow[3]);
        Assert.Equal(Math.Exp(-1), narrow[4], 1e-6);
        if (!IsaDispatch.IsSupported(Isa.Avx512)) return;
        float[] wide = Apply<Simd512, Vector512<float>>(x, SimdMath.ExpNonPositive<Simd512, Vector512<float>>);
        Assert.Equal(narrow[..2], wide[..2]);
        Assert.True(float.IsNaN(wide[2]));
        Assert.Equal(narrow[3..], wide[3..]);
    }

    [Fact]
    public void Tanh_stays_within_its_stated_relative_error() =>
        AssertWorst("tanh", Sweep(-12f, 12f), SimdMath.TanhRelativeError, Math.Tanh,
            SimdMath.Tanh<Simd256, Vector256<float>>, SimdMath.Tanh<Simd512, Vector512<float>>);

    [Fact]
    public void Sigmoid_stays_within_its_stated_relative_error() =>
        AssertWorst("sigmoid", Sweep(-87f, 30f), SimdMath.SigmoidRelativeError, x => 1 / (1 + Math.Exp(-x)),
            SimdMath.Sigmoid<Simd256, Vector256<float>>, SimdMath.Sigmoid<Simd512, Vector512<float>>);

    [Fact]
    public void Exp_saturates_outside_the_float_range()
    {
        float[] x = [-1000f, -88f, 89f, 1000f, 0f, 1f];
        float[] y = Apply<Simd256, Vector256<float>>(x, SimdMath.Exp<Simd256, Vector256<float>>);
        Assert.Equal([0f, 0f, float.PositiveInfinity, float.PositiveInfinity, 1f], y[..5]);
        Assert.Equal(Math.E, y[5], 1e-6);
    }

    private static void AssertWorst(string name, float[] x, double bound, Func<double, double> exact,
        Func<Vector256<float>, Vector256<float>> avx2, Func<Vector512<float>, Vector512<float>> avx512)
    {
        Assert.True(IsaDispatch.IsSupported(Isa.Avx2), "The vector math needs AVX2 and FMA.");
        double worst = Worst(x, Apply<Simd256, Vector256<float>>(x, avx2), exact);
        Assert.True(worst <= bound, $"{name} (AVX2): worst relative error {worst:E3} above {bound:E3}");
        if (!IsaDispatch.IsSupported(Isa.Avx512)) return;
        worst = Worst(x, Apply<Simd512, Vector512<float>>(x, avx512), exact);
        Assert.True(worst <= bound, $"{name} (AVX-512): worst relative error {worst:E3} above {bound:E3}");
    }

    private static float[] Sweep(float from, float to)
    {
        var points = new List<float>();
        for (int bits = BitConverter.SingleToInt32Bits(-from); bits > 0; bits -= BitStride) points.Add(-BitConverter.Int32BitsToSingle(bits));
        for (int bits = 0; BitConverter.Int32BitsToSingle(bits) <= to; bits += BitStride) points.Add(BitConverter.Int32BitsToSingle(bits));
        return [.. points];
    }

    private static unsafe float[] Apply<TSimd, TVec>(float[] x, Func<TVec, TVec> f)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        var y = new float[x.Length];
        fixed (float* px = x, py = y)
        {
            int i = 0;
            for (; i + TSimd.Count <= x.Length; i += TSimd.Count) TSimd.Store(py + i, f(TSimd.Load(px + i)));
            if (i < x.Length) TSimd.StoreFirst(py + i, x.Length - i, f(TSimd.LoadFirst(px + i, x.Length - i)));
        }
        return y;
    }

    /// <summary>The worst relative error over points whose exact result is a normal float.</summary>
    private static double Worst(float[] x, float[] y, Func<double, double> exact)
    {
        double worst = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double e = exact(x[i]);
            if (Math.Abs(e) < SimdMath.SmallestNormal || Math.Abs(e) > float.MaxValue) continue;
            worst = Math.Max(worst, Math.Abs(y[i] - e) / Math.Abs(e));
        }
        return worst;
    }
}
