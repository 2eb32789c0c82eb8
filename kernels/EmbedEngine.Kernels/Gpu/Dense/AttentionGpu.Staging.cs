using ILGPU;

namespace EmbedEngine.Kernels.Gpu.Dense;

public static partial class AttentionGpu
{
    /// <summary>
    /// Copies the vectors of <paramref name="rows"/> positions from <paramref name="first"/> on (head
    /// <paramref name="head"/> of sequence <paramref name="batch"/>) into a packed [rows, headDim] tile in shared
    /// memory, every thread of the group taking every group-width-th float; the caller's barrier publishes it.
    /// </summary>
    private static void Stage(ArrayView<float> tile, ArrayView<float> source, OperandStrides strides, int batch, int first, int rows,
        int head, int headDim)
    {
        for (int e = Group.IdxX; e < rows * headDim; e += Group.DimX)
            tile[e] = source[strides.At(batch, first + e / headDim, head, headDim) + e % headDim];
    }

    /// <summary>Stages K and V of <paramref name="count"/> keys from <paramref name="first"/> on into two shared tiles.</summary>
    private static void StageKeysAndValues(AttentionArguments a, ArrayView<float> k, ArrayView<float> v, TileOfGroup group, int first,
        int count, ArrayView<float> keys, ArrayView<float> values)
    {
        Stage(keys, k, a.K, group.Batch, first, count, group.Head, a.HeadDim);
        Stage(values, v, a.V, group.Batch, first, count, group.Head, a.HeadDim);
    }

    /// <summary>Sets the first <paramref name="count"/> floats of a shared tile to zero, every thread its share.</summary>
    private static void Clear(ArrayView<float> tile, int count)
    {
        for (int e = Group.IdxX; e < count; e += Group.DimX) tile[e] = 0f;
    }

    /// <summary>Σ a[aStart + c]·b[bStart + c] over c &lt; <paramref name="length"/>.</summary>
    private static float Dot(ArrayView<float> a, long aStart, ArrayView<float> b, long bStart, int length)
    {
        float sum = 0f;
        for (int c = 0; c < length; c++) sum += a[aStart + c] * b[bStart + c];
        return sum;
    }

    /// <summary>
    /// The (sequence, head) pair and the tile of its queries or keys that this group owns: group g takes tile
    /// g mod tiles of pair g / tiles, the tiles covering the queries or keys of each pair.
    /// </summary>
    private readonly record struct TileOfGroup(int Pair, int Batch, int Head, int First, int Count)
    {
        public static TileOfGroup Of(AttentionArguments a, int length)
        {
            int tiles = (length + a.Tile - 1) / a.Tile, pair = Grid.IdxX / tiles, first = Grid.IdxX % tiles * a.Tile;
            return new(pair, pair / a.Heads, pair % a.Heads, first, Math.Min(a.Tile, length - first));
        }
    }
}
