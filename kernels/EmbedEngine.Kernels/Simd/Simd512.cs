using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EmbedEngine.Kernels.Simd;

/// <summary>Vector512: the <see cref="Isa.Avx512"/> variants. Masked loads and stores use AVX-512 mask registers.</summary>
internal readonly unsafe struct Simd512 : ISimd<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    public static Vector512<float> Zero => Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Create(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector512<float> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sqrt(Vector512<float> a) => Vector512.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Min(Vector512<float> a, Vector512<float> b) => Vector512.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.MaxNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LessThan(Vector512<float> a, Vector512<float> b) => Vector512.LessThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Select(Vector512<float> mask, Vector512<float> whereSet, Vector512<float> otherwise) =>
        Vector512.ConditionalSelect(mask, whereSet, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Equal(Vector512<float> a, Vector512<float> b) => Vector512.Equals(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MinAcross(Vector512<float> value) => Simd256.MinAcross(Vector256.MinNative(value.GetLower(), value.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector512<float> value) => Simd256.MaxAcross(Vector256.MaxNative(value.GetLower(), value.GetUpper()));

    public static Vector512<float> LaneIndices => Vector512.ConvertToSingle(Vector512<int>.Indices);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) =>
        Avx512F.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Abs(Vector512<float> a) => Vector512.Abs(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> CopySign(Vector512<float> magnitude, Vector512<float> sign) => Vector512.CopySign(magnitude, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Round(Vector512<float> a) => Vector512.Round(a);

    /// <summary>
    /// e^r·2ⁿ by vscalefps, which rounds to subnormals, 0 and ∞ itself; x is only held within
    /// [<see cref="SimdMath.ExpUnderflowArgument"/>, <see cref="SimdMath.ExpOverflowArgument"/>] by plain vmaxps/vminps
    /// (x second, so a NaN stays NaN), which keeps the reduction exact.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        Vector512<float> p = SimdMath.ExpOfRemainder<Simd512, Vector512<float>>(
            Avx512F.Min(Create(SimdMath.ExpOverflowArgument), Avx512F.Max(Create(SimdMath.ExpUnderflowArgument), x)), out Vector512<float> n);
        return Avx512F.Scale(p, n);
    }

    /// <summary>As <see cref="Exp"/> for x ≤ 0, with the shorter core and only the lower clamp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ExpNonPositive(Vector512<float> x)
    {
        Vector512<float> p = SimdMath.ShortExpOfRemainder<Simd512, Vector512<float>>(
            Avx512F.Max(Create(SimdMath.ExpUnderflowArgument), x), out Vector512<float> n);
        return Avx512F.Scale(p, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> GreaterThan(Vector512<float> a, Vector512<float> b) => Vector512.GreaterThan(a, b);

    /// <summary><see cref="CounterRandom.Hash"/> in every lane at once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Uniform(uint seed, nint index)
    {
        Vector512<uint> x = Vector512<uint>.Indices + Vector512.Create(unchecked((uint)index + seed * CounterRandom.SeedSpread));
        x ^= x >>> 16;
        x *= Vector512.Create(CounterRandom.Multiplier1);
        x ^= x >>> 15;
        x *= Vector512.Create(CounterRandom.Multiplier2);
        x ^= x >>> 16;
        return Vector512.ConvertToSingle((x >>> 8).AsInt32()) * Vector512.Create(CounterRandom.UnitScale);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> value) => Simd256.Sum(value.GetLower() + value.GetUpper());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Mask(int count) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    /// <summary>
    /// Tails of 4, 8 or 12 lanes (row lengths that are multiples of 4, e.g. 100, 200, 300) take plain 128/256-bit
    /// loads; others are masked.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadFirst(float* source, int count) => count switch
    {
        4 => Vector128.Load(source).ToVector256().ToVector512(),
        8 => Vector256.Load(source).ToVector512(),
        // InsertVector256, not Vector512.Create(lower, upper): the JIT lowers the latter to helper calls here, and a
        // call in the tail makes it spill every vector register of the kernel's main loop.
        12 => Avx512F.InsertVector256(Vector256.Load(source).ToVector512(), Vector128.Load(source + 8).ToVector256(), 1),
        _ => Avx512F.MaskLoad(source, Mask(count), Vector512<float>.Zero),
    };

    /// <summary>
    /// As <see cref="LoadFirst"/>: plain narrower stores where the tail allows, because a masked store cannot forward
    /// to a later load of the same memory (Zen 4), which doubled the time of a 100-float kernel called repeatedly.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreFirst(float* destination, int count, Vector512<float> value)
    {
        switch (count)
        {
            case 4: value.GetLower().GetLower().Store(destination); break;
            case 8: value.GetLower().Store(destination); break;
            case 12:
                value.GetLower().Store(destination);
                value.GetUpper().GetLower().Store(destination + 8);
                break;
            default: Avx512F.MaskStore(destination, Mask(count), value); break;
        }
    }
}
