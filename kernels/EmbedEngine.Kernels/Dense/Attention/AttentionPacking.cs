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
            for (int j = 0; j < keysPerTile; j++)
            {
                int key = t * keysPerTile + j;
                if (key < count)
                {
                    float* row = source.At(batch, key, head, headDim);
                    for (int c = 0; c < headDim; c++) panel[c * keysPerTile + j] = row[c];
                }
                else
                    for (int c = 0; c < headDim; c++) panel[c * keysPerTile + j] = 0f;
            }
        }
    }

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
