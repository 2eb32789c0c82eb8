namespace EmbedEngine.Kernels.Simd;

/// <summary>
/// One vector width, seen through static members so a kernel body is written once, generic over the width, and the
/// JIT specializes it for each (no calls, no virtual dispatch: every member inlines to one or two instructions).
/// The partial last chunk of a row goes through <see cref="Mask"/>, <see cref="LoadFirst"/> and
/// <see cref="StoreFirst"/>, which never touch memory past the row's end, so no kernel needs a scalar tail loop.
/// </summary>
/// <typeparam name="TVec">The vector of floats this width works on.</typeparam>
internal unsafe interface ISimd<TVec>
    where TVec : struct
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }

    /// <summary>All lanes zero.</summary>
    static abstract TVec Zero { get; }

    /// <summary>All lanes <paramref name="value"/>.</summary>
    static abstract TVec Create(float value);

    /// <summary>Unaligned load of <see cref="Count"/> floats.</summary>
    static abstract TVec Load(float* source);

    /// <summary>Unaligned store of <see cref="Count"/> floats.</summary>
    static abstract void Store(float* destination, TVec value);

    /// <summary>a + b.</summary>
    static abstract TVec Add(TVec a, TVec b);

    /// <summary>a − b.</summary>
    static abstract TVec Subtract(TVec a, TVec b);

    /// <summary>a · b.</summary>
    static abstract TVec Multiply(TVec a, TVec b);

    /// <summary>a / b, correctly rounded.</summary>
    static abstract TVec Divide(TVec a, TVec b);

    /// <summary>√a, correctly rounded (not a reciprocal-square-root estimate).</summary>
    static abstract TVec Sqrt(TVec a);

    /// <summary>
    /// The lane-wise smaller of a and b as minps computes it: b where either is NaN or both are zeros. One
    /// instruction, where the IEEE minimum of Vector.Min takes three; callers pass the value that may be NaN as b.
    /// </summary>
    static abstract TVec Min(TVec a, TVec b);

    /// <summary>The lane-wise larger of a and b as maxps computes it: b where either is NaN or both are zeros (see <see cref="Min"/>).</summary>
    static abstract TVec Max(TVec a, TVec b);

    /// <summary>All-ones lanes where a &lt; b (false for NaN), zero lanes elsewhere.</summary>
    static abstract TVec LessThan(TVec a, TVec b);

    /// <summary>Lanes of <paramref name="whereSet"/> where <paramref name="mask"/> is all ones, of <paramref name="otherwise"/> elsewhere.</summary>
    static abstract TVec Select(TVec mask, TVec whereSet, TVec otherwise);

    /// <summary>All-ones lanes where a = b, zero lanes elsewhere.</summary>
    static abstract TVec Equal(TVec a, TVec b);

    /// <summary>The smallest lane (lanes hold no NaN).</summary>
    static abstract float MinAcross(TVec value);

    /// <summary>The largest lane (lanes hold no NaN).</summary>
    static abstract float MaxAcross(TVec value);

    /// <summary>The lane numbers 0, 1, … as floats.</summary>
    static abstract TVec LaneIndices { get; }

    /// <summary>a · b + c with one rounding.</summary>
    static abstract TVec MultiplyAdd(TVec a, TVec b, TVec c);

    /// <summary>|a|.</summary>
    static abstract TVec Abs(TVec a);

    /// <summary>The magnitude of <paramref name="magnitude"/> with the sign of <paramref name="sign"/>.</summary>
    static abstract TVec CopySign(TVec magnitude, TVec sign);

    /// <summary>a rounded to the nearest integer (ties to even), still as floats.</summary>
    static abstract TVec Round(TVec a);

    /// <summary>eˣ to <see cref="SimdMath.ExpRelativeError"/>; 0 or ∞ outside the float range (see <see cref="SimdMath"/>).</summary>
    static abstract TVec Exp(TVec x);

    /// <summary>
    /// eˣ for x ≤ 0 to <see cref="SimdMath.ExpNonPositiveRelativeError"/>, 0 below the normal range: fewer steps than
    /// <see cref="Exp"/> for the softmax family, whose arguments are logits minus their maximum.
    /// </summary>
    static abstract TVec ExpNonPositive(TVec x);

    /// <summary>All bits set in the lanes where a &gt; b, clear elsewhere.</summary>
    static abstract TVec GreaterThan(TVec a, TVec b);

    /// <summary>
    /// Uniform floats in [0, 1), one per lane, for the element indices index … index + Count − 1 under
    /// <paramref name="seed"/>: the same values <see cref="CounterRandom.Uniform"/> gives one at a time.
    /// </summary>
    static abstract TVec Uniform(uint seed, nint index);

    /// <summary>The sum of all lanes.</summary>
    static abstract float Sum(TVec value);

    /// <summary>A mask selecting the first <paramref name="count"/> lanes (0 &lt; count &lt; <see cref="Count"/>).</summary>
    static abstract TVec Mask(int count);

    /// <summary>Loads the first <paramref name="count"/> lanes and zeroes the others; memory past them is not read.</summary>
    static abstract TVec LoadFirst(float* source, int count);

    /// <summary>Stores the first <paramref name="count"/> lanes; memory past them is not written.</summary>
    static abstract void StoreFirst(float* destination, int count, TVec value);
}
