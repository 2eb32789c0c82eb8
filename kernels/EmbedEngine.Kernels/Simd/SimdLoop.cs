using System.Runtime.CompilerServices;

namespace EmbedEngine.Kernels.Simd;

/// <summary>
/// The loops every vectorized kernel shares, written once for all widths: a column walk that ends in one masked
/// step (no scalar remainder), and the dot products with independent accumulators that hide FMA latency.
/// </summary>
/// <typeparam name="TSimd">The vector width.</typeparam>
/// <typeparam name="TVec">Its vector type.</typeparam>
internal static unsafe partial class SimdLoop<TSimd, TVec>
    where TSimd : struct, ISimd<TVec>
    where TVec : struct
{
    /// <summary>Runs <paramref name="step"/> over columns [0, length): full chunks, then one masked chunk.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Columns<TStep>(int length, TStep step)
        where TStep : struct, IColumnStep<TVec>
    {
        nint n = length, c = 0;
        for (; c <= n - TSimd.Count; c += TSimd.Count) step.Invoke(c, default(AllLanes<TSimd, TVec>));
        if (c < n) step.Invoke(c, new FirstLanes<TSimd, TVec>((int)(n - c)));
    }

    /// <summary>x · y over <paramref name="length"/> floats with four accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(float* x, float* y, int length)
    {
        nint n = length, c = 0, w = TSimd.Count;
        TVec a0 = TSimd.Zero, a1 = TSimd.Zero, a2 = TSimd.Zero, a3 = TSimd.Zero;
        for (; c <= n - 4 * w; c += 4 * w)
        {
            a0 = TSimd.MultiplyAdd(TSimd.Load(x + c), TSimd.Load(y + c), a0);
            a1 = TSimd.MultiplyAdd(TSimd.Load(x + c + w), TSimd.Load(y + c + w), a1);
            a2 = TSimd.MultiplyAdd(TSimd.Load(x + c + 2 * w), TSimd.Load(y + c + 2 * w), a2);
            a3 = TSimd.MultiplyAdd(TSimd.Load(x + c + 3 * w), TSimd.Load(y + c + 3 * w), a3);
        }
        // At most three full chunks and one partial one remain: each gets its own accumulator, no loop.
        if (c <= n - 2 * w)
        {
            a0 = TSimd.MultiplyAdd(TSimd.Load(x + c), TSimd.Load(y + c), a0);
            a1 = TSimd.MultiplyAdd(TSimd.Load(x + c + w), TSimd.Load(y + c + w), a1);
            c += 2 * w;
        }
        if (c <= n - w)
        {
            a2 = TSimd.MultiplyAdd(TSimd.Load(x + c), TSimd.Load(y + c), a2);
            c += w;
        }
        if (c < n)
        {
            var tail = new FirstLanes<TSimd, TVec>((int)(n - c));
            a3 = TSimd.MultiplyAdd(tail.Load(x + c), tail.Load(y + c), a3);
        }
        return TSimd.Sum(TSimd.Add(TSimd.Add(a0, a1), TSimd.Add(a2, a3)));
    }

    /// <summary>
    /// x · y0 … x · y3 in one pass: each chunk of x is loaded once for four rows, and the four sums are
    /// independent chains (matrix-vector products, score blocks).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Dot4(float* x, float* y0, float* y1, float* y2, float* y3, int length,
        out float s0, out float s1, out float s2, out float s3)
    {
        nint n = length, c = 0;
        TVec a0 = TSimd.Zero, a1 = TSimd.Zero, a2 = TSimd.Zero, a3 = TSimd.Zero;
        for (; c <= n - TSimd.Count; c += TSimd.Count)
        {
            TVec xc = TSimd.Load(x + c);
            a0 = TSimd.MultiplyAdd(xc, TSimd.Load(y0 + c), a0);
            a1 = TSimd.MultiplyAdd(xc, TSimd.Load(y1 + c), a1);
            a2 = TSimd.MultiplyAdd(xc, TSimd.Load(y2 + c), a2);
            a3 = TSimd.MultiplyAdd(xc, TSimd.Load(y3 + c), a3);
        }
        if (c < n)
        {
            var tail = new FirstLanes<TSimd, TVec>((int)(n - c));
            TVec xc = tail.Load(x + c);
            a0 = TSimd.MultiplyAdd(xc, tail.Load(y0 + c), a0);
            a1 = TSimd.MultiplyAdd(xc, tail.Load(y1 + c), a1);
            a2 = TSimd.MultiplyAdd(xc, tail.Load(y2 + c), a2);
            a3 = TSimd.MultiplyAdd(xc, tail.Load(y3 + c), a3);
        }
        s0 = TSimd.Sum(a0);
        s1 = TSimd.Sum(a1);
        s2 = TSimd.Sum(a2);
        s3 = TSimd.Sum(a3);
    }
}
