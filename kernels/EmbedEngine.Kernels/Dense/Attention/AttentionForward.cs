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
        float* max = stackalloc float[BlockRows], sum = stackalloc float[BlockRows], rescale = stackalloc float[BlockRows];
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
                sum[r] = 0f;
                // Rows past the end repeat the last row; they are computed and never written.
                q[r] = job.Q.At(batch, i0 + Math.Min(r, rows - 1), head, d);
            }
            new Span<float>(acc, BlockRows * dp).Clear();
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
                    bool boundary = j0 + keys > least;
                    for (int r = 0; r < Rows; r++)
                        OnlineSoftmax(tile + r * keys, boundary ? visible[g + r] - j0 : keys, ref max[g + r], ref sum[g + r], out rescale[g + r]);
                    AttentionTile<TSimd, TVec>.AccumulateRows(acc + (long)g * dp, rescale + g, tile, values + (long)j0 * dp, dp);
                }
            for (int r = 0; r < rows; r++)
            {
                bool masked = sum[r] == 0f;
                WriteRow(job.Output.At(batch, i0 + r, head, d), acc + (long)r * dp, d, masked ? 0f : 1f / sum[r]);
                logSumExp[i0 + r] = masked ? float.NegativeInfinity : max[r] + MathF.Log(sum[r]);
            }
        }
    }

    /// <summary>
    /// One row of a score tile becomes e^(s − m_new) in place, where only the first <paramref name="valid"/> keys
    /// count (the rest become 0); m and l move on and <paramref name="rescale"/> = e^(m_old − m_new) is what the row's
    /// accumulator must be multiplied by. A row that has seen no key yet keeps m = −∞ and l = 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OnlineSoftmax(float* row, int valid, ref float max, ref float sum, out float rescale)
    {
        int w = TSimd.Count, keys = 2 * w;
        TVec s0 = TSimd.Load(row), s1 = TSimd.Load(row + w);
        TVec keep0 = default, keep1 = default;
        bool partial = valid < keys;
        if (partial)
        {
            TVec limit = TSimd.Create(valid), minus = TSimd.Create(float.NegativeInfinity), lanes = TSimd.LaneIndices;
            keep0 = TSimd.LessThan(lanes, limit);
            keep1 = TSimd.LessThan(TSimd.Add(lanes, TSimd.Create(w)), limit);
            s0 = TSimd.Select(keep0, s0, minus);
            s1 = TSimd.Select(keep1, s1, minus);
        }
        float newMax = Math.Max(max, TSimd.MaxAcross(TSimd.Max(s0, s1)));
        if (newMax == float.NegativeInfinity)
        {
            TSimd.Store(row, TSimd.Zero);
            TSimd.Store(row + w, TSimd.Zero);
            rescale = 1f;
            return;
        }
        rescale = MathF.Exp(max - newMax);
        TVec m = TSimd.Create(newMax);
        TVec p0 = TSimd.ExpNonPositive(TSimd.Subtract(s0, m)), p1 = TSimd.ExpNonPositive(TSimd.Subtract(s1, m));
        if (partial)
        {
            // The exp of −∞ is only nearly 0 on every width; masked keys must weigh exactly nothing.
            p0 = TSimd.Select(keep0, p0, TSimd.Zero);
            p1 = TSimd.Select(keep1, p1, TSimd.Zero);
        }
        TSimd.Store(row, p0);
        TSimd.Store(row + w, p1);
        sum = sum * rescale + TSimd.Sum(TSimd.Add(p0, p1));
        max = newMax;
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
