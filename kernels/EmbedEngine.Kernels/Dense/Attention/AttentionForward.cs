using System.Runtime.CompilerServices;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Dense.Attention;

/// <summary>
/// The fused forward pass of one (sequence, head) pair, FlashAttention-2 style: blocks of queries against tiles of
/// keys with an online softmax. Each query row keeps its running maximum m and sum l; a tile that raises m rescales
/// the row's output accumulator by e^(m_old − m_new), so only one block × tile of scores ever exists. Tiles past every
/// row's visible keys (key padding, the causal mask) are never computed; the boundary tiles mask per row.
/// </summary>
internal static unsafe class AttentionForward<TSimd, TVec>
    where TSimd : struct, ISimd<TVec>
    where TVec : struct
{
    private const int Rows = AttentionTile<TSimd, TVec>.Rows;

    /// <summary>Queries that share each key tile: four register blocks, so K and V stream from L2 a quarter as often.</summary>
    private const int BlockRows = 4 * Rows;

    /// <summary>O and the log-sum-exp of every query of sequence <paramref name="batch"/>, head <paramref name="head"/>.</summary>
    public static void Head(in AttentionJob job, int batch, int head)
    {
        AttentionShape shape = job.Shape;
        int d = shape.HeadDim, dp = AttentionTile<TSimd, TVec>.PaddedDim(d), keys = AttentionTile<TSimd, TVec>.Keys;
        int queries = shape.QueryLength, keyLength = job.KeyLength(batch);
        // Visible key counts grow with the query, so the last query sees every key any query sees.
        int used = queries == 0 ? 0 : shape.VisibleKeys(queries - 1, keyLength);
        int tiles = (used + keys - 1) / keys;
        float* panels = AttentionScratch.Rent((long)tiles * keys * (d + dp));
        float* values = panels + (long)tiles * keys * d;
        AttentionPacking.TransposedPanels(job.K, batch, head, d, used, keys, panels);
        AttentionPacking.PaddedRows(job.V, batch, head, d, used, tiles * keys, dp, values);

        float* acc = stackalloc float[BlockRows * dp];
        float* tile = stackalloc float[Rows * keys];
        float* max = stackalloc float[BlockRows], rescale = stackalloc float[BlockRows];
        // Each row's running sum stays a vector, summed across its lanes once at the end of the row, not every tile.
        float* sums = stackalloc float[BlockRows * TSimd.Count];
        int* visible = stackalloc int[BlockRows];
        float** q = stackalloc float*[BlockRows];
        float* logSumExp = job.LogSumExpOf(batch, head);
        for (int i0 = 0; i0 < queries; i0 += BlockRows)
        {
            int rows = Math.Min(BlockRows, queries - i0), most = 0;
            for (int r = 0; r < BlockRows; r++)
            {
                visible[r] = r < rows ? shape.VisibleKeys(i0 + r, keyLength) : 0;
                most = Math.Max(most, visible[r]);
                max[r] = float.NegativeInfinity;
                // Rows past the end repeat the last row; they are computed and never written.
                q[r] = job.Q.At(batch, i0 + Math.Min(r, rows - 1), head, d);
            }
            new Span<float>(acc, BlockRows * dp).Clear();
            new Span<float>(sums, BlockRows * TSimd.Count).Clear();
            // Each key tile (and its values) is read once for the whole block and stays in L1 across its groups.
            for (int t = 0, j0 = 0; j0 < most; t++, j0 += keys)
                for (int g = 0; g < BlockRows && g < rows; g += Rows)
                {
                    int least = int.MaxValue, groupMost = 0;
                    for (int r = g; r < g + Rows; r++)
                    {
                        if (r < rows) least = Math.Min(least, visible[r]);
                        groupMost = Math.Max(groupMost, visible[r]);
                    }
                    if (groupMost <= j0) continue;
                    AttentionTile<TSimd, TVec>.Scores(q[g], q[g + 1], q[g + 2], q[g + 3], panels + (long)t * keys * d, d, shape.Scale, tile);
                    if (j0 + keys > least)
                        for (int r = 0; r < Rows; r++)
                            MaskedOnlineSoftmax(tile + r * keys, keys, visible[g + r] - j0, max + g + r, sums + (g + r) * TSimd.Count, rescale + g + r);
                    else
                        OnlineSoftmax(tile, keys, max + g, sums + g * TSimd.Count, rescale + g);
                    AttentionTile<TSimd, TVec>.AccumulateRows(acc + (long)g * dp, rescale + g, tile, values + (long)j0 * dp, dp);
                }
            for (int r = 0; r < rows; r++)
            {
                float sum = TSimd.Sum(TSimd.Load(sums + r * TSimd.Count));
                bool masked = sum == 0f;
                WriteRow(job.Output.At(batch, i0 + r, head, d), acc + (long)r * dp, d, masked ? 0f : 1f / sum);
                logSumExp[i0 + r] = masked ? float.NegativeInfinity : max[r] + MathF.Log(sum);
            }
        }
    }

    /// <summary>
    /// The 4 rows of a score tile (<paramref name="keys"/> each) where every key is visible become e^(s − m_new) in
    /// place; each row's m and vector of partial sums move on, and <paramref name="rescale"/> gets e^(m_old − m_new), what
    /// its accumulator must be multiplied by. The rows go through each step together, so their reductions and
    /// exponentials overlap instead of waiting on one another.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void OnlineSoftmax(float* tile, int keys, float* max, float* sums, float* rescale)
    {
        int w = TSimd.Count;
        float* row0 = tile, row1 = tile + keys, row2 = tile + 2 * keys, row3 = tile + 3 * keys;
        TVec top0 = TSimd.Load(row0), top1 = TSimd.Load(row1), top2 = TSimd.Load(row2), top3 = TSimd.Load(row3);
        for (nint v = w; v < keys; v += w)
        {
            top0 = TSimd.Max(top0, TSimd.Load(row0 + v));
            top1 = TSimd.Max(top1, TSimd.Load(row1 + v));
            top2 = TSimd.Max(top2, TSimd.Load(row2 + v));
            top3 = TSimd.Max(top3, TSimd.Load(row3 + v));
        }
        float n0 = Math.Max(max[0], TSimd.MaxAcross(top0)), n1 = Math.Max(max[1], TSimd.MaxAcross(top1));
        float n2 = Math.Max(max[2], TSimd.MaxAcross(top2)), n3 = Math.Max(max[3], TSimd.MaxAcross(top3));
        // The four e^(m_old − m_new) in one vector exponential: a call to MathF.Exp here would make the JIT spill
        // every vector register around it (they are all caller-saved), on every tile. e⁰ is exactly 1; e^−∞ (a row's
        // first tile) is nearly 0 and multiplies only zeros.
        float* exponents = stackalloc float[TSimd.Count];
        TSimd.Store(exponents, TSimd.Zero);
        exponents[0] = max[0] - n0;
        exponents[1] = max[1] - n1;
        exponents[2] = max[2] - n2;
        exponents[3] = max[3] - n3;
        TSimd.Store(exponents, TSimd.ExpNonPositive(TSimd.Load(exponents)));
        for (int r = 0; r < Rows; r++) rescale[r] = exponents[r];
        max[0] = n0;
        max[1] = n1;
        max[2] = n2;
        max[3] = n3;
        TVec m0 = TSimd.Create(n0), m1 = TSimd.Create(n1), m2 = TSimd.Create(n2), m3 = TSimd.Create(n3);
        TVec s0 = TSimd.Zero, s1 = TSimd.Zero, s2 = TSimd.Zero, s3 = TSimd.Zero;
        for (nint v = 0; v < keys; v += w)
        {
            TVec p0 = TSimd.ExpNonPositive(TSimd.Subtract(TSimd.Load(row0 + v), m0));
            TVec p1 = TSimd.ExpNonPositive(TSimd.Subtract(TSimd.Load(row1 + v), m1));
            TVec p2 = TSimd.ExpNonPositive(TSimd.Subtract(TSimd.Load(row2 + v), m2));
            TVec p3 = TSimd.ExpNonPositive(TSimd.Subtract(TSimd.Load(row3 + v), m3));
            TSimd.Store(row0 + v, p0);
            TSimd.Store(row1 + v, p1);
            TSimd.Store(row2 + v, p2);
            TSimd.Store(row3 + v, p3);
            s0 = TSimd.Add(s0, p0);
            s1 = TSimd.Add(s1, p1);
            s2 = TSimd.Add(s2, p2);
            s3 = TSimd.Add(s3, p3);
        }
        AddToSums(sums, rescale[0], s0);
        AddToSums(sums + w, rescale[1], s1);
        AddToSums(sums + 2 * w, rescale[2], s2);
        AddToSums(sums + 3 * w, rescale[3], s3);
    }

    /// <summary>
    /// m_new = max(m_old, <paramref name="tileMaximum"/>), stored, broadcast and returned; <paramref name="rescale"/>
    /// gets e^(m_old − m_new): once a row's maximum settles, most tiles leave it as it is, and e⁰ = 1 needs no call,
    /// nor e^−∞ = 0 on the first tile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec NewMaximum(float tileMaximum, float* max, float* rescale)
    {
        float old = *max, next = Math.Max(old, tileMaximum);
        *rescale = next == old ? 1f : old == float.NegativeInfinity ? 0f : MathF.Exp(old - next);
        *max = next;
        return TSimd.Create(next);
    }

    /// <summary>sums ← rescale · sums + tile, the vector of a row's partial sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddToSums(float* sums, float rescale, TVec tile) =>
        TSimd.Store(sums, TSimd.MultiplyAdd(TSimd.Load(sums), TSimd.Create(rescale), tile));

    /// <summary>
    /// <see cref="OnlineSoftmax"/> for one row of a boundary tile, where only the first <paramref name="valid"/> keys
    /// count (the rest become 0). A row that has seen no key yet keeps m = −∞ and sums of 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MaskedOnlineSoftmax(float* row, int keys, int valid, float* max, float* sums, float* rescale)
    {
        int w = TSimd.Count, vectors = keys / w;
        TVec limit = TSimd.Create(valid), lanes = TSimd.LaneIndices, minus = TSimd.Create(float.NegativeInfinity), top = minus;
        for (int v = 0; v < vectors; v++)
        {
            TVec s = TSimd.Select(TSimd.LessThan(TSimd.Add(lanes, TSimd.Create(v * w)), limit), TSimd.Load(row + v * w), minus);
            TSimd.Store(row + v * w, s);
            top = TSimd.Max(top, s);
        }
        float tileMaximum = TSimd.MaxAcross(top);
        if (Math.Max(*max, tileMaximum) == float.NegativeInfinity)
        {
            for (int v = 0; v < vectors; v++) TSimd.Store(row + v * w, TSimd.Zero);
            *rescale = 1f;
            return;
        }
        TVec m = NewMaximum(tileMaximum, max, rescale), total = TSimd.Zero;
        for (int v = 0; v < vectors; v++)
        {
            TVec p = TSimd.ExpNonPositive(TSimd.Subtract(TSimd.Load(row + v * w), m));
            // The exp of −∞ is only nearly 0 on every width; masked keys must weigh exactly nothing.
            p = TSimd.Select(TSimd.LessThan(TSimd.Add(lanes, TSimd.Create(v * w)), limit), p, TSimd.Zero);
            TSimd.Store(row + v * w, p);
            total = TSimd.Add(total, p);
        }
        AddToSums(sums, *rescale, total);
    }

    /// <summary>The first <paramref name="headDim"/> floats of an accumulator row times <paramref name="factor"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void WriteRow(float* destination, float* source, int headDim, float factor)
    {
        TVec f = TSimd.Create(factor);
        nint c = 0;
        for (; c <= headDim - TSimd.Count; c += TSimd.Count) TSimd.Store(destination + c, TSimd.Multiply(TSimd.Load(source + c), f));
        if (c < headDim) TSimd.StoreFirst(destination + c, (int)(headDim - c), TSimd.Multiply(TSimd.Load(source + c), f));
    }
}
