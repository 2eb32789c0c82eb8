using System.Runtime.CompilerServices;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Dense.Attention;

/// <summary>
/// The fused backward pass of one (sequence, head) pair, FlashAttention-2 style: for each tile of keys, every block
/// of queries that sees it recomputes its scores and P = e^(s·q·k − lse) from the forward pass's log-sum-exp, then
/// dV_j += Σ_i P_ij dO_i, dS = P ⊙ (dO·Vᵀ − D) with D_i = dO_i·O_i, dK_j += s Σ_i dS_ij Q_i and dQ_i += s Σ_j dS_ij K_j.
/// dK and dV of the tile stay in a small accumulator until its last block; dQ accumulates over the tiles in a
/// per-head buffer. Nothing of size length² is stored, and tiles the masks hide are skipped as in the forward pass.
/// </summary>
internal static unsafe class AttentionBackward<TSimd, TVec>
    where TSimd : struct, ISimd<TVec>
    where TVec : struct
{
    private const int Rows = AttentionTile<TSimd, TVec>.Rows;

    /// <summary>dQ, dK and dV of sequence <paramref name="batch"/>, head <paramref name="head"/>.</summary>
    public static void Head(in AttentionJob job, int batch, int head)
    {
        AttentionShape shape = job.Shape;
        int d = shape.HeadDim, dp = AttentionTile<TSimd, TVec>.PaddedDim(d), keys = AttentionTile<TSimd, TVec>.Keys;
        int queries = shape.QueryLength, keyLength = job.KeyLength(batch);
        int used = queries == 0 ? 0 : shape.VisibleKeys(queries - 1, keyLength);
        int tiles = (used + keys - 1) / keys, paddedKeys = tiles * keys;
        int paddedQueries = (queries + Rows - 1) / Rows * Rows;

        long panelFloats = (long)paddedKeys * d, rowFloats = (long)paddedQueries * dp;
        float* kPanels = AttentionScratch.Rent(2 * panelFloats + (long)paddedKeys * dp + 3 * rowFloats + paddedQueries + 2L * keys * dp);
        float* vPanels = kPanels + panelFloats, kRows = vPanels + panelFloats;
        float* qRows = kRows + (long)paddedKeys * dp, doRows = qRows + rowFloats, dqAcc = doRows + rowFloats;
        float* delta = dqAcc + rowFloats, dkAcc = delta + paddedQueries, dvAcc = dkAcc + (long)keys * dp;
        AttentionPacking.TransposedPanels(job.K, batch, head, d, used, keys, kPanels);
        AttentionPacking.TransposedPanels(job.V, batch, head, d, used, keys, vPanels);
        AttentionPacking.PaddedRows(job.K, batch, head, d, used, paddedKeys, dp, kRows);
        AttentionPacking.PaddedRows(job.Q, batch, head, d, queries, paddedQueries, dp, qRows);
        AttentionPacking.PaddedRows(job.DOutput, batch, head, d, queries, paddedQueries, dp, doRows);
        new Span<float>(dqAcc, (int)rowFloats).Clear();
        for (int i = 0; i < paddedQueries; i++)
            delta[i] = i < queries ? SimdLoop<TSimd, TVec>.Dot(job.DOutput.At(batch, i, head, d), job.Output.At(batch, i, head, d), d) : 0f;

        float* p = stackalloc float[Rows * keys];
        float* ds = stackalloc float[Rows * keys];
        int* visible = stackalloc int[Rows];
        float* logSumExp = job.LogSumExpOf(batch, head);
        for (int t = 0, j0 = 0; j0 < used; t++, j0 += keys)
        {
            new Span<float>(dkAcc, 2 * keys * dp).Clear();
            // Causal: the first query that sees key j0 sits at j0 − (keys − queries).
            int first = shape.Causal ? Math.Max(0, j0 - (shape.KeyLength - queries)) / Rows * Rows : 0;
            for (int i0 = first; i0 < queries; i0 += Rows)
            {
                int least = int.MaxValue, most = 0;
                for (int r = 0; r < Rows; r++)
                {
                    visible[r] = i0 + r < queries ? shape.VisibleKeys(i0 + r, keyLength) : 0;
                    least = Math.Min(least, visible[r]);
                    most = Math.Max(most, visible[r]);
                }
                if (most <= j0) continue;
                float* q = qRows + (long)i0 * dp, dout = doRows + (long)i0 * dp;
                AttentionTile<TSimd, TVec>.Scores(q, q + dp, q + 2 * dp, q + 3 * dp, kPanels + (long)t * keys * d, d, shape.Scale, p);
                AttentionTile<TSimd, TVec>.Scores(dout, dout + dp, dout + 2 * dp, dout + 3 * dp, vPanels + (long)t * keys * d, d, 1f, ds);
                bool boundary = j0 + keys > least;
                for (int r = 0; r < Rows; r++)
                    ScoreGradient(p + r * keys, ds + r * keys, boundary ? visible[r] - j0 : keys,
                        i0 + r < queries ? logSumExp[i0 + r] : 0f, delta[i0 + r]);
                AttentionTile<TSimd, TVec>.AccumulateTransposed(dvAcc, p, dout, dp);
                AttentionTile<TSimd, TVec>.AccumulateTransposed(dkAcc, ds, q, dp);
                AttentionTile<TSimd, TVec>.AccumulateRows(dqAcc + (long)i0 * dp, null, ds, kRows + (long)j0 * dp, dp);
            }
            for (int j = j0; j < Math.Min(j0 + keys, shape.KeyLength); j++)
            {
                AttentionForward<TSimd, TVec>.WriteRow(job.DK.At(batch, j, head, d), dkAcc + (long)(j - j0) * dp, d, shape.Scale);
                AttentionForward<TSimd, TVec>.WriteRow(job.DV.At(batch, j, head, d), dvAcc + (long)(j - j0) * dp, d, 1f);
            }
        }
        // Keys no query sees have no gradient.
        for (int j = paddedKeys; j < shape.KeyLength; j++)
        {
            new Span<float>(job.DK.At(batch, j, head, d), d).Clear();
            new Span<float>(job.DV.At(batch, j, head, d), d).Clear();
        }
        for (int i = 0; i < queries; i++)
            AttentionForward<TSimd, TVec>.WriteRow(job.DQ.At(batch, i, head, d), dqAcc + (long)i * dp, d, shape.Scale);
    }

    /// <summary>
    /// One row of a block: scores become P = e^(s − lse) and dP becomes dS = P ⊙ (dP − D), both 0 past the first
    /// <paramref name="valid"/> keys (a row that sees none has lse = −∞ and no gradient).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScoreGradient(float* p, float* ds, int valid, float logSumExp, float delta)
    {
        int w = TSimd.Count, keys = 2 * w;
        if (valid <= 0)
        {
            TSimd.Store(p, TSimd.Zero);
            TSimd.Store(p + w, TSimd.Zero);
            TSimd.Store(ds, TSimd.Zero);
            TSimd.Store(ds + w, TSimd.Zero);
            return;
        }
        TVec lse = TSimd.Create(logSumExp), dlt = TSimd.Create(delta);
        TVec p0 = TSimd.ExpNonPositive(TSimd.Subtract(TSimd.Load(p), lse)), p1 = TSimd.ExpNonPositive(TSimd.Subtract(TSimd.Load(p + w), lse));
        if (valid < keys)
        {
            TVec limit = TSimd.Create(valid), lanes = TSimd.LaneIndices;
            p0 = TSimd.Select(TSimd.LessThan(lanes, limit), p0, TSimd.Zero);
            p1 = TSimd.Select(TSimd.LessThan(TSimd.Add(lanes, TSimd.Create(w)), limit), p1, TSimd.Zero);
        }
        TSimd.Store(p, p0);
        TSimd.Store(p + w, p1);
        TSimd.Store(ds, TSimd.Multiply(p0, TSimd.Subtract(TSimd.Load(ds), dlt)));
        TSimd.Store(ds + w, TSimd.Multiply(p1, TSimd.Subtract(TSimd.Load(ds + w), dlt)));
    }
}
