using System.Runtime.CompilerServices;

namespace EmbedEngine.Kernels.Simd;

/// <summary>
/// Row reductions shared by the dense kernels: two accumulators hide the add latency, and the masked last chunk
/// fills its unused lanes with the operation's identity (0 for sums, −∞ for the maximum).
/// </summary>
internal static unsafe partial class SimdLoop<TSimd, TVec>
{
    /// <summary>Σ x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(float* x, int length)
    {
        nint n = length, c = 0, w = TSimd.Count;
        TVec a0 = TSimd.Zero, a1 = TSimd.Zero;
        for (; c <= n - 2 * w; c += 2 * w)
        {
            a0 = TSimd.Add(a0, TSimd.Load(x + c));
            a1 = TSimd.Add(a1, TSimd.Load(x + c + w));
        }
        if (c <= n - w)
        {
            a0 = TSimd.Add(a0, TSimd.Load(x + c));
            c += w;
        }
        if (c < n) a1 = TSimd.Add(a1, TSimd.LoadFirst(x + c, (int)(n - c)));
        return TSimd.Sum(TSimd.Add(a0, a1));
    }

    /// <summary>Σ (x − center)²: the sum of squares with center 0, the variance's numerator with center the mean.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SumOfSquares(float* x, int length, float center)
    {
        nint n = length, c = 0, w = TSimd.Count;
        TVec m = TSimd.Create(center), a0 = TSimd.Zero, a1 = TSimd.Zero;
        for (; c <= n - 2 * w; c += 2 * w)
        {
            TVec d0 = TSimd.Subtract(TSimd.Load(x + c), m), d1 = TSimd.Subtract(TSimd.Load(x + c + w), m);
            a0 = TSimd.MultiplyAdd(d0, d0, a0);
            a1 = TSimd.MultiplyAdd(d1, d1, a1);
        }
        if (c <= n - w)
        {
            TVec d = TSimd.Subtract(TSimd.Load(x + c), m);
            a0 = TSimd.MultiplyAdd(d, d, a0);
            c += w;
        }
        if (c < n)
        {
            int count = (int)(n - c);
            TVec d = TSimd.Select(TSimd.Mask(count), TSimd.Subtract(TSimd.LoadFirst(x + c, count), m), TSimd.Zero);
            a1 = TSimd.MultiplyAdd(d, d, a1);
        }
        return TSimd.Sum(TSimd.Add(a0, a1));
    }

    /// <summary>max x; −∞ for an empty row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(float* x, int length)
    {
        nint n = length, c = 0, w = TSimd.Count;
        TVec lowest = TSimd.Create(float.NegativeInfinity), a0 = lowest, a1 = lowest;
        for (; c <= n - 2 * w; c += 2 * w)
        {
            a0 = TSimd.Max(a0, TSimd.Load(x + c));
            a1 = TSimd.Max(a1, TSimd.Load(x + c + w));
        }
        if (c <= n - w)
        {
            a0 = TSimd.Max(a0, TSimd.Load(x + c));
            c += w;
        }
        if (c < n)
        {
            int count = (int)(n - c);
            a1 = TSimd.Max(a1, TSimd.Select(TSimd.Mask(count), TSimd.LoadFirst(x + c, count), lowest));
        }
        return TSimd.MaxAcross(TSimd.Max(a0, a1));
    }

    /// <summary>
    /// y = e^(x − shift) for every column, and returns Σ y (the softmax denominator). One exp per loop step (the exp
    /// is long, so its latency hides behind the next step's), and the tail in its own method, so the JIT inlines
    /// the exp once here instead of running out of inlining budget and calling it. The loop's sum is reduced before
    /// that call: a vector live across a call is kept on the stack, and on Zen 4 reloading a 512-bit store every
    /// step cost more than the exp.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float StoreExpAndSum(float* x, float* y, int length, float shift)
    {
        nint n = length, c = 0, w = TSimd.Count;
        TVec s = TSimd.Create(shift), sum = TSimd.Zero;
        for (; c <= n - w; c += w)
        {
            TVec e = SimdMath.ExpNonPositive<TSimd, TVec>(TSimd.Subtract(TSimd.Load(x + c), s));
            TSimd.Store(y + c, e);
            sum = TSimd.Add(sum, e);
        }
        float total = TSimd.Sum(sum);
        return c < n ? total + StoreExpTail(x + c, y + c, (int)(n - c), shift) : total;
    }

    /// <summary>Σ e^(x − shift), as <see cref="StoreExpAndSum"/> without the store (a log-sum-exp of a row that stays as it is).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SumOfExp(float* x, int length, float shift)
    {
        nint n = length, c = 0, w = TSimd.Count;
        TVec s = TSimd.Create(shift), sum = TSimd.Zero;
        for (; c <= n - w; c += w)
            sum = TSimd.Add(sum, SimdMath.ExpNonPositive<TSimd, TVec>(TSimd.Subtract(TSimd.Load(x + c), s)));
        float total = TSimd.Sum(sum);
        return c < n ? total + SumOfExpTail(x + c, (int)(n - c), shift) : total;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float SumOfExpTail(float* x, int count, float shift) =>
        TSimd.Sum(TSimd.Select(TSimd.Mask(count),
            SimdMath.ExpNonPositive<TSimd, TVec>(TSimd.Subtract(TSimd.LoadFirst(x, count), TSimd.Create(shift))), TSimd.Zero));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float StoreExpTail(float* x, float* y, int count, float shift)
    {
        TVec e = TSimd.Select(TSimd.Mask(count), SimdMath.ExpNonPositive<TSimd, TVec>(TSimd.Subtract(TSimd.LoadFirst(x, count), TSimd.Create(shift))), TSimd.Zero);
        TSimd.StoreFirst(y, count, e);
        return TSimd.Sum(e);
    }
}
