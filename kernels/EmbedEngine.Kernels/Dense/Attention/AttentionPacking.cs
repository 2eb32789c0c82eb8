using System.Runtime.Intrinsics.X86;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Dense.Attention;

/// <summary>
/// Copies one head's rows out of a strided operand into the layouts the register tiles read (see
/// <see cref="AttentionTile{TSimd, TVec}"/>), with zeros past the rows and columns that hold data, so the tiles need no
/// masks. Copying is O(length · head dim) per head against the O(length² · head dim) of the products.
/// </summary>
internal static unsafe class AttentionPacking
{
    /// <summary>
    /// Keys 0 … <paramref name="count"/> − 1 of head <paramref name="head"/> as transposed panels of
    /// <paramref name="keysPerTile"/> keys: panel t holds, at [c · keysPerTile + j], component c of key t·keysPerTile + j,
    /// and zeros for the keys past <paramref name="count"/> in the last panel.
    /// </summary>
    public static void TransposedPanels(AttentionOperand source, int batch, int head, int headDim, int count, int keysPerTile, float* panels)
    {
        int tiles = (count + keysPerTile - 1) / keysPerTile;
        for (int t = 0; t < tiles; t++)
        {
            float* panel = panels + (long)t * keysPerTile * headDim;
            for (int j = 0; j < keysPerTile; j += Block)
            {
                int first = t * keysPerTile + j;
                if (Avx.IsSupported && first + Block <= count)
                {
                    float* rows = source.At(batch, first, head, headDim);
                    int c = 0;
                    for (; c + Block <= headDim; c += Block) BlockTranspose.Transpose8x8(rows + c, source.RowStride, panel + (long)c * keysPerTile + j, keysPerTile);
                    for (; c < headDim; c++)
                        for (int i = 0; i < Block; i++) panel[c * keysPerTile + j + i] = rows[(long)i * source.RowStride + c];
                }
                else
                    for (int i = j; i < j + Block; i++)
                    {
                        int key = t * keysPerTile + i;
                        float* row = key < count ? source.At(batch, key, head, headDim) : null;
                        for (int c = 0; c < headDim; c++) panel[c * keysPerTile + i] = row == null ? 0f : row[c];
                    }
            }
        }
    }

    /// <summary>
    /// Keys per transposed block (tiles hold whole blocks: 16 or 64 keys). Moving one float at a time stores each to
    /// a different cache line of the panel, which made packing a sixth of the forward pass at T 256.
    /// </summary>
    private const int Block = 8;

    /// <summary>
    /// Rows 0 … <paramref name="count"/> − 1 of head <paramref name="head"/>, each padded with zeros to
    /// <paramref name="paddedDim"/> floats, then zero rows up to <paramref name="rows"/>.
    /// </summary>
    public static void PaddedRows(AttentionOperand source, int batch, int head, int headDim, int count, int rows, int paddedDim, float* destination)
    {
        for (int i = 0; i < rows; i++)
        {
            var row = new Span<float>(destination + (long)i * paddedDim, paddedDim);
            if (i < count)
            {
                new ReadOnlySpan<float>(source.At(batch, i, head, headDim), headDim).CopyTo(row);
                row[headDim..].Clear();
            }
            else
                row.Clear();
        }
    }
}
