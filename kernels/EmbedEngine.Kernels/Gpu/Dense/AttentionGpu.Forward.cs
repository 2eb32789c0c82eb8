using ILGPU;

namespace EmbedEngine.Kernels.Gpu.Dense;

public static partial class AttentionGpu
{
    /// <summary>
    /// One (sequence, head, query tile) per group. Per key tile: stage K and V, score every (query, key) pair of the
    /// tile (−∞ where masked), move each row's running maximum m and sum l on (one thread per row), then rescale the
    /// row's output accumulator by e^(m_old − m_new) and add P·V. Key tiles past the tile's last visible key are never
    /// loaded: visible counts grow with the query, so the last row sees every key any row of the tile sees.
    /// </summary>
    private static void ForwardKernel(AttentionArguments a, ArrayView<float> q, ArrayView<float> k, ArrayView<float> v, ArrayView<float> o,
        ArrayView<float> logSumExp, ArrayView<int> keyLengths)
    {
        var queries = SharedMemory.Allocate<float>(TileFloats);
        var keys = SharedMemory.Allocate<float>(TileFloats);
        var values = SharedMemory.Allocate<float>(TileFloats);
        var accumulator = SharedMemory.Allocate<float>(TileFloats);
        var weights = SharedMemory.Allocate<float>(MaxTile * MaxTile);
        var maximum = SharedMemory.Allocate<float>(MaxTile);
        var sum = SharedMemory.Allocate<float>(MaxTile);
        var rescale = SharedMemory.Allocate<float>(MaxTile);
        var visible = SharedMemory.Allocate<int>(MaxTile);
        var group = TileOfGroup.Of(a, a.QueryLength);
        int d = a.HeadDim, tile = a.Tile, batch = group.Batch, head = group.Head, i0 = group.First, rows = group.Count;
        int keyLength = a.KeyLengthOf(keyLengths, batch), seen = a.Visible(i0 + rows - 1, keyLength);
        for (int r = Group.IdxX; r < rows; r += Group.DimX)
        {
            visible[r] = a.Visible(i0 + r, keyLength);
            maximum[r] = float.NegativeInfinity;
            sum[r] = 0f;
        }
        Stage(queries, q, a.Q, batch, i0, rows, head, d);
        Clear(accumulator, rows * d);
        Group.Barrier();
        for (int j0 = 0; j0 < seen; j0 += tile)
        {
            int count = Math.Min(tile, seen - j0);
            StageKeysAndValues(a, k, v, group, j0, count, keys, values);
            Group.Barrier();
            for (int e = Group.IdxX; e < rows * count; e += Group.DimX)
            {
                int r = e / count, j = e % count;
                weights[r * tile + j] = j0 + j < visible[r] ? a.Scale * Dot(queries, r * d, keys, j * d, d) : float.NegativeInfinity;
            }
            Group.Barrier();
            for (int r = Group.IdxX; r < rows; r += Group.DimX)
                OnlineSoftmax(weights.SubView(r * tile, count), ref maximum[r], ref sum[r], out rescale[r]);
            Group.Barrier();
            for (int e = Group.IdxX; e < rows * d; e += Group.DimX)
            {
                int r = e / d, c = e % d;
                float added = 0f;
                for (int j = 0; j < count; j++) added += weights[r * tile + j] * values[j * d + c];
                accumulator[e] = accumulator[e] * rescale[r] + added;
            }
            Group.Barrier();
        }
        for (int e = Group.IdxX; e < rows * d; e += Group.DimX)
        {
            int r = e / d;
            o[a.O.At(batch, i0 + r, head, d) + e % d] = sum[r] == 0f ? 0f : accumulator[e] / sum[r];
        }
        for (int r = Group.IdxX; r < rows; r += Group.DimX)
            logSumExp[a.LogSumExpAt(group.Pair, i0 + r)] = sum[r] == 0f ? float.NegativeInfinity : maximum[r] + MathF.Log(sum[r]);
    }

    /// <summary>
    /// One row of a score tile becomes e^(s − m_new) in place (exactly 0 where masked); the row's maximum and sum move
    /// on, and <paramref name="rescale"/> gets e^(m_old − m_new), what its accumulator must be multiplied by. A row
    /// that has seen no visible key yet keeps m = −∞ and l = 0.
    /// </summary>
    private static void OnlineSoftmax(ArrayView<float> scores, ref float maximum, ref float sum, out float rescale)
    {
        float next = maximum;
        for (int j = 0; j < scores.Length; j++) next = Math.Max(next, scores[j]);
        if (next == float.NegativeInfinity)
        {
            for (int j = 0; j < scores.Length; j++) scores[j] = 0f;
            rescale = 1f;
            return;
        }
        rescale = maximum == float.NegativeInfinity ? 0f : MathF.Exp(maximum - next);
        float added = 0f;
        for (int j = 0; j < scores.Length; j++)
        {
            float p = scores[j] == float.NegativeInfinity ? 0f : MathF.Exp(scores[j] - next);
            scores[j] = p;
            added += p;
        }
        maximum = next;
        sum = sum * rescale + added;
    }
}
