using System.Runtime.CompilerServices;

namespace EmbedEngine.Kernels.Simd;

/// <summary>
/// exp, tanh and the logistic function for every vector width, from the primitives of <see cref="ISimd{TVec}"/>.
/// Their worst relative errors against exact values (<see cref="ExpRelativeError"/>, <see cref="TanhRelativeError"/>,
/// <see cref="SigmoidRelativeError"/>) are measured over all floats of their range by the kernel tests, and the
/// harness derives the tolerance of every kernel that uses them from these constants. Results below the smallest
/// normal float (2⁻¹²⁶) may flush to zero where the scalar reference keeps a subnormal.
/// </summary>
public static class SimdMath
{
    /// <summary>
    /// Stated worst relative error of <see cref="Exp{TSimd,TVec}"/> over normal results: 1.5·10⁻⁷ (2.5 ulp); measured
    /// 8.4·10⁻⁸ over every 512th float of the range.
    /// </summary>
    public const double ExpRelativeError = 1.5e-7;

    /// <summary>
    /// Stated worst relative error of <see cref="ExpNonPositive{TSimd,TVec}"/> over normal results: 5·10⁻⁷; measured
    /// 3.9·10⁻⁷ over every 512th float of [−87.5, 0]. Its one-step reduction adds up to |n|·1.9·10⁻⁹ (n ≥ −126), so
    /// the error is largest for the smallest results, which a softmax row's sum (at least 1) makes negligible.
    /// </summary>
    public const double ExpNonPositiveRelativeError = 5e-7;

    /// <summary>Stated worst relative error of <see cref="Tanh{TSimd,TVec}"/>: 2.5·10⁻⁷; measured 1.6·10⁻⁷ (near |x| = 0.4).</summary>
    public const double TanhRelativeError = 2.5e-7;

    /// <summary>Stated worst relative error of <see cref="Sigmoid{TSimd,TVec}"/> (exp's, one add, one division): 2.5·10⁻⁷; measured 1.4·10⁻⁷.</summary>
    public const double SigmoidRelativeError = 2.5e-7;

    /// <summary>The smallest normal float: below it results may flush to zero.</summary>
    public const float SmallestNormal = 1.17549435e-38f;

    /// <summary>ln(2⁻¹²⁶): below it eˣ is subnormal, and the AVX2 exp returns 0.</summary>
    internal const float ExpMinArgument = -87.33654f;

    /// <summary>
    /// The largest x whose n = round(x·log₂e) is still 127 (eˣ ≈ 2.4·10³⁸); above it the AVX2 exp returns ∞, 0.35 short
    /// of the true overflow. The kernels only take exp of arguments ≤ 0 or of −x for σ, where this cannot matter.
    /// </summary>
    internal const float ExpMaxArgument = 88.37626f;

    /// <summary>Below it eˣ is under half the smallest subnormal: the AVX-512 exp clamps here, so n stays small enough for an exact reduction.</summary>
    internal const float ExpUnderflowArgument = -104f;

    /// <summary>Above it eˣ overflows: the AVX-512 exp clamps here and vscalefps returns ∞.</summary>
    internal const float ExpOverflowArgument = 89f;

    private const float Log2E = 1.44269504f;

    /// <summary>
    /// e^r ≈ 1 + r + C2·r² + … + C6·r⁶ on |r| ≤ ln2/2: a least-squares fit of the relative error at 200 Chebyshev
    /// points, off by at most 1.9·10⁻⁹ before float rounding (one multiply-add fewer than Taylor's degree 7 for the
    /// same accuracy; C0 and C1 round to exactly 1 in float).
    /// </summary>
    private const float ExpC2 = 0.49999991f, ExpC3 = 0.16666421f, ExpC4 = 0.041668359f, ExpC5 = 0.0083747711f, ExpC6 = 0.0013829424f;

    /// <summary>
    /// e^r ≈ 1 + r + D2·r² + … + D5·r⁵ on |r| ≤ ln2/2, fitted as <see cref="ExpC2"/>… were: off by at most 1.05·10⁻⁷
    /// before float rounding, one multiply-add fewer than the degree-6 core.
    /// </summary>
    private const float ShortExpD2 = 0.499992311f, ShortExpD3 = 0.166671112f, ShortExpD4 = 0.0418902077f, ShortExpD5 = 0.00831282791f;

    /// <summary>ln 2 rounded to float, for the one-step reduction of the short exp (off by 1.9·10⁻⁹).</summary>
    private const float Ln2 = 0.693147182f;

    /// <summary>ln 2 split so n·Ln2High is exact for |n| ≤ 128 (Cody–Waite reduction).</summary>
    private const float Ln2High = 0.693359375f, Ln2Low = -2.12194440e-4f;

    /// <summary>Below it tanh takes its odd Taylor series (8 terms leave less than 1e-9); above, the exp form.</summary>
    private const float TanhSeriesLimit = 0.4f;

    /// <summary>eˣ: the width's <see cref="ISimd{TVec}.Exp"/>, built on <see cref="ExpOfRemainder{TSimd,TVec}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVec Exp<TSimd, TVec>(TVec x)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        => TSimd.Exp(x);

    /// <summary>
    /// The shared core of eˣ: x = n·ln2 + r with |r| ≤ ln2/2 and n integral; returns e^r by a degree-6 polynomial
    /// (<see cref="ExpC2"/>…), leaving the product with 2ⁿ (and the range) to the width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVec ExpOfRemainder<TSimd, TVec>(TVec x, out TVec n)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        n = TSimd.Round(TSimd.Multiply(x, TSimd.Create(Log2E)));
        TVec r = TSimd.MultiplyAdd(n, TSimd.Create(-Ln2High), x);
        r = TSimd.MultiplyAdd(n, TSimd.Create(-Ln2Low), r);
        TVec p = TSimd.MultiplyAdd(TSimd.Create(ExpC6), r, TSimd.Create(ExpC5));
        p = TSimd.MultiplyAdd(p, r, TSimd.Create(ExpC4));
        p = TSimd.MultiplyAdd(p, r, TSimd.Create(ExpC3));
        p = TSimd.MultiplyAdd(p, r, TSimd.Create(ExpC2));
        p = TSimd.MultiplyAdd(p, r, TSimd.Create(1f));
        return TSimd.MultiplyAdd(p, r, TSimd.Create(1f));
    }

    /// <summary>eˣ for x ≤ 0: the width's <see cref="ISimd{TVec}.ExpNonPositive"/>, built on <see cref="ShortExpOfRemainder{TSimd,TVec}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVec ExpNonPositive<TSimd, TVec>(TVec x)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        => TSimd.ExpNonPositive(x);

    /// <summary>
    /// The core of eˣ with two multiply-adds fewer than <see cref="ExpOfRemainder{TSimd,TVec}"/>: x = n·ln2 + r by
    /// one multiply-add with ln 2 rounded to float, and a degree-5 polynomial. With the upper clamp dropped as well,
    /// a softmax ran 12% faster; the accuracy lost is bounded by <see cref="ExpNonPositiveRelativeError"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVec ShortExpOfRemainder<TSimd, TVec>(TVec x, out TVec n)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        n = TSimd.Round(TSimd.Multiply(x, TSimd.Create(Log2E)));
        TVec r = TSimd.MultiplyAdd(n, TSimd.Create(-Ln2), x);
        TVec p = TSimd.MultiplyAdd(TSimd.Create(ShortExpD5), r, TSimd.Create(ShortExpD4));
        p = TSimd.MultiplyAdd(p, r, TSimd.Create(ShortExpD3));
        p = TSimd.MultiplyAdd(p, r, TSimd.Create(ShortExpD2));
        p = TSimd.MultiplyAdd(p, r, TSimd.Create(1f));
        return TSimd.MultiplyAdd(p, r, TSimd.Create(1f));
    }

    /// <summary>1 / (1 + e⁻ˣ).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVec Sigmoid<TSimd, TVec>(TVec x)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        TVec one = TSimd.Create(1f);
        return TSimd.Divide(one, TSimd.Add(one, Exp<TSimd, TVec>(TSimd.Subtract(TSimd.Zero, x))));
    }

    /// <summary>
    /// tanh x: the odd Taylor series near 0, where the exp form would cancel, and (1 − e)/(1 + e) with e = e^(−2|x|)
    /// elsewhere, signed like x.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVec Tanh<TSimd, TVec>(TVec x)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        TVec a = TSimd.Abs(x), one = TSimd.Create(1f);
        TVec e = Exp<TSimd, TVec>(TSimd.Multiply(a, TSimd.Create(-2f)));
        TVec far = TSimd.Divide(TSimd.Subtract(one, e), TSimd.Add(one, e));
        TVec a2 = TSimd.Multiply(a, a);
        TVec p = TSimd.MultiplyAdd(TSimd.Create(-929569f / 638512875), a2, TSimd.Create(21844f / 6081075));
        p = TSimd.MultiplyAdd(p, a2, TSimd.Create(-1382f / 155925));
        p = TSimd.MultiplyAdd(p, a2, TSimd.Create(62f / 2835));
        p = TSimd.MultiplyAdd(p, a2, TSimd.Create(-17f / 315));
        p = TSimd.MultiplyAdd(p, a2, TSimd.Create(2f / 15));
        p = TSimd.MultiplyAdd(p, a2, TSimd.Create(-1f / 3));
        TVec near = TSimd.MultiplyAdd(TSimd.Multiply(p, a2), a, a);
        return TSimd.CopySign(TSimd.Select(TSimd.LessThan(a, TSimd.Create(TanhSeriesLimit)), near, far), x);
    }
}
