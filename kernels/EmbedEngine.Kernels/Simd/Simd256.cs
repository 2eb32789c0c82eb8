using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EmbedEngine.Kernels.Simd;

/// <summary>Vector256 with FMA: the <see cref="Isa.Avx2"/> variants.</summary>
internal readonly unsafe struct Simd256 : ISimd<Vector256<float>>
{
    /// <summary>IEEE single: the exponent's bias and where it starts.</summary>
    private const int ExponentBias = 127, MantissaBits = 23;

    public static int Count => Vector256<float>.Count;

    public static Vector256<float> Zero => Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Create(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector256<float> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sqrt(Vector256<float> a) => Vector256.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Min(Vector256<float> a, Vector256<float> b) => Vector256.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.MaxNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LessThan(Vector256<float> a, Vector256<float> b) => Vector256.LessThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Select(Vector256<float> mask, Vector256<float> whereSet, Vector256<float> otherwise) =>
        Vector256.ConditionalSelect(mask, whereSet, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Equal(Vector256<float> a, Vector256<float> b) => Vector256.Equals(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MinAcross(Vector256<float> value) => MinAcross(Vector128.MinNative(value.GetLower(), value.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector256<float> value) => MaxAcross(Vector128.MaxNative(value.GetLower(), value.GetUpper()));

    /// <summary>Smallest lane by halving, as <see cref="Sum(Vector128{float})"/> adds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float MinAcross(Vector128<float> value)
    {
        value = Vector128.MinNative(value, Vector128.Shuffle(value, Vector128.Create(2, 3, 0, 1)));
        value = Vector128.MinNative(value, Vector128.Shuffle(value, Vector128.Create(1, 0, 3, 2)));
        return value.ToScalar();
    }

    /// <summary>Largest lane by halving.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float MaxAcross(Vector128<float> value)
    {
        value = Vector128.MaxNative(value, Vector128.Shuffle(value, Vector128.Create(2, 3, 0, 1)));
        value = Vector128.MaxNative(value, Vector128.Shuffle(value, Vector128.Create(1, 0, 3, 2)));
        return value.ToScalar();
    }

    public static Vector256<float> LaneIndices => Vector256.ConvertToSingle(Vector256<int>.Indices);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Abs(Vector256<float> a) => Vector256.Abs(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> CopySign(Vector256<float> magnitude, Vector256<float> sign) => Vector256.CopySign(magnitude, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Round(Vector256<float> a) => Vector256.Round(a);

    /// <summary>
    /// e^r·2ⁿ with 2ⁿ built in the exponent field, so x is clamped to where n stays in [-126, 127], and the lanes
    /// beyond become 0 or ∞ through the same comparison masks. n is integral and in range, so the raw truncating
    /// conversion serves (no saturation).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        Vector256<float> low = Create(SimdMath.ExpMinArgument), high = Create(SimdMath.ExpMaxArgument);
        Vector256<float> tooSmall = LessThan(x, low), tooLarge = GreaterThan(x, high);
        Vector256<float> p = SimdMath.ExpOfRemainder<Simd256, Vector256<float>>(Select(tooSmall, low, Select(tooLarge, high, x)), out Vector256<float> n);
        return Select(tooLarge, Create(float.PositiveInfinity), Select(tooSmall, Zero, p * PowerOfTwo(n)));
    }

    /// <summary>As <see cref="Exp"/> for x ≤ 0, with the shorter core and no upper bound to check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ExpNonPositive(Vector256<float> x)
    {
        Vector256<float> low = Create(SimdMath.ExpMinArgument), tooSmall = LessThan(x, low);
        Vector256<float> p = SimdMath.ShortExpOfRemainder<Simd256, Vector256<float>>(Max(low, x), out Vector256<float> n);
        return Select(tooSmall, Zero, p * PowerOfTwo(n));
    }

    /// <summary>2ⁿ for integral n in [-126, 127], built in the exponent field (the truncating conversion is exact there).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> PowerOfTwo(Vector256<float> n) =>
        Vector256.ShiftLeft(Avx.ConvertToVector256Int32WithTruncation(n) + Vector256.Create(ExponentBias), MantissaBits).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> GreaterThan(Vector256<float> a, Vector256<float> b) => Vector256.GreaterThan(a, b);

    /// <summary><see cref="CounterRandom.Hash"/> in every lane at once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Uniform(uint seed, nint index)
    {
        Vector256<uint> x = Vector256<uint>.Indices + Vector256.Create(unchecked((uint)index + seed * CounterRandom.SeedSpread));
        x ^= x >>> 16;
        x *= Vector256.Create(CounterRandom.Multiplier1);
        x ^= x >>> 15;
        x *= Vector256.Create(CounterRandom.Multiplier2);
        x ^= x >>> 16;
        return Vector256.ConvertToSingle((x >>> 8).AsInt32()) * Vector256.Create(CounterRandom.UnitScale);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> value) => Sum(value.GetLower() + value.GetUpper());

    /// <summary>
    /// Horizontal sum by halving: two shuffles and two adds once down to 128 bits. Vector256.Sum and Vector512.Sum
    /// sum each 128-bit lane separately and take about three times as many instructions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Sum(Vector128<float> value)
    {
        value += Vector128.Shuffle(value, Vector128.Create(2, 3, 0, 1));
        value += Vector128.Shuffle(value, Vector128.Create(1, 0, 3, 2));
        return value.ToScalar();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Mask(int count) =>
        Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle();

    /// <summary>Four lanes (a row length that is a multiple of 4, e.g. 100 or 300) take a plain 128-bit load.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadFirst(float* source, int count) =>
        count == 4 ? Vector128.Load(source).ToVector256() : Avx.MaskLoad(source, Mask(count));

    /// <summary>Four lanes take a plain 128-bit store: masked stores are slow on AMD and cannot forward to later loads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreFirst(float* destination, int count, Vector256<float> value)
    {
        if (count == 4) value.GetLower().Store(destination);
        else Avx.MaskStore(destination, Mask(count), value);
    }
}
