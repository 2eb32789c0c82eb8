using ILGPU;

namespace EmbedEngine.Kernels.Gpu.Dense;

public static partial class AttentionGpu
{
    /// <summary>
    /// One (sequence, head, key tile) per group: K and V of the tile stay in shared memory while every query tile that
    /// sees one of its keys is staged in turn (Q, dO, each row's lse and D = dO·O); the group forms P and dS for the
    /// tile pair and adds dV_j += Σ_i P_ij dO_i and dK_j += Σ_i dS_ij Q_i. Keys that no query sees get zeros.
    /// </summary>
    private static void KeyGradientKernel(AttentionArguments a, ArrayView<float> q, ArrayView<float> k, ArrayView<float> v,
        ArrayView<float> o, ArrayView<float> dOutput, ArrayView<float> logSumExp, ArrayView<int> keyLengths, ArrayView<float> dk,
        ArrayView<float> dv)
    {
        var keys = SharedMemory.Allocate<float>(TileFloats);
        var values = SharedMemory.Allocate<float>(TileFloats);
        var keyGradient = SharedMemory.Allocate<float>(TileFloats);
        var valueGradient = SharedMemory.Allocate<float>(TileFloats);
        var queries = SharedMemory.Allocate<float>(TileFloats);
        var outputGradient = SharedMemory.Allocate<float>(TileFloats);
        var weights = SharedMemory.Allocate<float>(MaxTile * MaxTile);
        var scoreGradient = SharedMemory.Allocate<float>(MaxTile * MaxTile);
        var rowLogSumExp = SharedMemory.Allocate<float>(MaxTile);
        var delta = SharedMemory.Allocate<float>(MaxTile);
        var visible = SharedMemory.Allocate<int>(MaxTile);
        var group = TileOfGroup.Of(a, a.KeyLength);
        int d = a.HeadDim, tile = a.Tile, batch = group.Batch, head = group.Head, j0 = group.First, count = group.Count;
        int keyLength = a.KeyLengthOf(keyLengths, batch);
        StageKeysAndValues(a, k, v, group, j0, count, keys, values);
        Clear(keyGradient, count * d);
        Clear(valueGradient, count * d);
        // Causal: query i sees key j from i = j − (KeyLength − QueryLength) on; earlier query tiles see none of these keys.
        int first = a.Causal != 0 ? Math.Max(0, j0 - (a.KeyLength - a.QueryLength)) : 0;
        for (int i0 = first; i0 < a.QueryLength; i0 += tile)
        {
            int rows = Math.Min(tile, a.QueryLength - i0);
            if (a.Visible(i0 + rows - 1, keyLength) <= j0) continue;
            StageQueryRows(a, q, o, dOutput, logSumExp, group, i0, rows, keyLength, queries, outputGradient, rowLogSumExp, delta, visible);
            Group.Barrier();
            ScoreGradients(a, queries, outputGradient, keys, values, rowLogSumExp, delta, visible, j0, rows, count, weights, scoreGradient);
            Group.Barrier();
            for (int e = Group.IdxX; e < count * d; e += Group.DimX)
            {
                int j = e / d, c = e % d;
                float dValue = 0f, dKey = 0f;
                for (int r = 0; r < rows; r++)
                {
                    dValue += weights[r * tile + j] * outputGradient[r * d + c];
                    dKey += scoreGradient[r * tile + j] * queries[r * d + c];
                }
                valueGradient[e] += dValue;
                keyGradient[e] += dKey;
            }
            Group.Barrier();
        }
        for (int e = Group.IdxX; e < count * d; e += Group.DimX)
        {
            int j = e / d, c = e % d;
            dk[a.DK.At(batch, j0 + j, head, d) + c] = a.Scale * keyGradient[e];
            dv[a.DV.At(batch, j0 + j, head, d) + c] = valueGradient[e];
        }
    }

    /// <summary>
    /// One (sequence, head, query tile) per group: Q and dO of the tile stay in shared memory while each key tile it
    /// sees is staged in turn; the group forms dS for the tile pair and adds dQ_i += Σ_j dS_ij K_j.
    /// </summary>
    private static void QueryGradientKernel(AttentionArguments a, ArrayView<float> q, ArrayView<float> k, ArrayView<float> v,
        ArrayView<float> o, ArrayView<float> dOutput, ArrayView<float> logSumExp, ArrayView<int> keyLengths, ArrayView<float> dq)
    {
        var queries = SharedMemory.Allocate<float>(TileFloats);
        var outputGradient = SharedMemory.Allocate<float>(TileFloats);
        var queryGradient = SharedMemory.Allocate<float>(TileFloats);
        var keys = SharedMemory.Allocate<float>(TileFloats);
        var values = SharedMemory.Allocate<float>(TileFloats);
        var weights = SharedMemory.Allocate<float>(MaxTile * MaxTile);
        var scoreGradient = SharedMemory.Allocate<float>(MaxTile * MaxTile);
        var rowLogSumExp = SharedMemory.Allocate<float>(MaxTile);
        var delta = SharedMemory.Allocate<float>(MaxTile);
        var visible = SharedMemory.Allocate<int>(MaxTile);
        var group = TileOfGroup.Of(a, a.QueryLength);
        int d = a.HeadDim, tile = a.Tile, batch = group.Batch, head = group.Head, i0 = group.First, rows = group.Count;
        int keyLength = a.KeyLengthOf(keyLengths, batch), seen = a.Visible(i0 + rows - 1, keyLength);
        StageQueryRows(a, q, o, dOutput, logSumExp, group, i0, rows, keyLength, queries, outputGradient, rowLogSumExp, delta, visible);
        Clear(queryGradient, rows * d);
        Group.Barrier();
        for (int j0 = 0; j0 < seen; j0 += tile)
        {
            int count = Math.Min(tile, seen - j0);
            StageKeysAndValues(a, k, v, group, j0, count, keys, values);
            Group.Barrier();
            ScoreGradients(a, queries, outputGradient, keys, values, rowLogSumExp, delta, visible, j0, rows, count, weights, scoreGradient);
            Group.Barrier();
            for (int e = Group.IdxX; e < rows * d; e += Group.DimX)
            {
                int r = e / d, c = e % d;
                float added = 0f;
                for (int j = 0; j < count; j++) added += scoreGradient[r * tile + j] * keys[j * d + c];
                queryGradient[e] += added;
            }
            Group.Barrier();
        }
        for (int e = Group.IdxX; e < rows * d; e += Group.DimX)
            dq[a.DQ.At(batch, i0 + e / d, head, d) + e % d] = a.Scale * queryGradient[e];
    }

    /// <summary>
    /// Stages Q and dO of <paramref name="rows"/> queries from <paramref name="i0"/> on, with each row's log-sum-exp,
    /// D = dO·O (the row sum of P ⊙ dP that the softmax's gradient subtracts) and visible key count.
    /// </summary>
    private static void StageQueryRows(AttentionArguments a, ArrayView<float> q, ArrayView<float> o, ArrayView<float> dOutput,
        ArrayView<float> logSumExp, TileOfGroup group, int i0, int rows, int keyLength, ArrayView<float> queries,
        ArrayView<float> outputGradient, ArrayView<float> rowLogSumExp, ArrayView<float> delta, ArrayView<int> visible)
    {
        int d = a.HeadDim, batch = group.Batch, head = group.Head;
        Stage(queries, q, a.Q, batch, i0, rows, head, d);
        Stage(outputGradient, dOutput, a.DO, batch, i0, rows, head, d);
        for (int r = Group.IdxX; r < rows; r += Group.DimX)
        {
            rowLogSumExp[r] = logSumExp[a.LogSumExpAt(group.Pair, i0 + r)];
            delta[r] = Dot(dOutput, a.DO.At(batch, i0 + r, head, d), o, a.O.At(batch, i0 + r, head, d), d);
            visible[r] = a.Visible(i0 + r, keyLength);
        }
    }

    /// <summary>
    /// For every (query, key) pair of a staged tile pair: P = e^(s·q·k − lse) into <paramref name="weights"/> and
    /// dS = P ⊙ (dO·v − D) into <paramref name="scoreGradient"/>, both 0 where the key is masked for that query.
    /// </summary>
    private static void ScoreGradients(AttentionArguments a, ArrayView<float> queries, ArrayView<float> outputGradient,
        ArrayView<float> keys, ArrayView<float> values, ArrayView<float> rowLogSumExp, ArrayView<float> delta, ArrayView<int> visible,
        int j0, int rows, int count, ArrayView<float> weights, ArrayView<float> scoreGradient)
    {
        int d = a.HeadDim, tile = a.Tile;
        for (int e = Group.IdxX; e < rows * count; e += Group.DimX)
        {
            int r = e / count, j = e % count;
            float p = 0f, ds = 0f;
            if (j0 + j < visible[r])
            {
                p = MathF.Exp(a.Scale * Dot(queries, r * d, keys, j * d, d) - rowLogSumExp[r]);
                ds = p * (Dot(outputGradient, r * d, values, j * d, d) - delta[r]);
            }
            weights[r * tile + j] = p;
            scoreGradient[r * tile + j] = ds;
        }
    }
}
