namespace EmbedEngine.Kernels.Dense;

/// <summary>
/// Bags of embedding rows averaged into one vector each (a word's character n-grams): bag b holds
/// indices[offsets[b] .. offsets[b + 1]), its mean is output row b (zeros for an empty bag), and backward adds each
/// bag's gradient row, divided by the bag's size, into the table-gradient row of every index in it. Bags and the
/// rows within them are visited in order, which the GPU twin keeps. The indices and offsets are checked by the caller.
/// </summary>
public static class EmbeddingBagKernel
{
    /// <summary>output[b] = the mean of table[indices[i]] over bag b.</summary>
    public static void Mean(ReadOnlySpan<float> table, int columns, ReadOnlySpan<int> indices, ReadOnlySpan<int> offsets, Span<float> output)
    {
        Check(table.Length, columns, indices.Length, offsets.Length, output.Length, "output");
        output.Clear();
        for (int b = 0; b + 1 < offsets.Length; b++)
        {
            Span<float> bag = output.Slice(b * columns, columns);
            for (int i = offsets[b]; i < offsets[b + 1]; i++) AxpyKernel.Axpy(1f, table.Slice(indices[i] * columns, columns), bag);
            if (offsets[b + 1] > offsets[b] + 1) ScaleKernel.Scale(1f / (offsets[b + 1] - offsets[b]), bag);
        }
    }

    /// <summary>tableGrad[indices[i]] += grad[b] / |bag b| for every index i of every bag b.</summary>
    public static void MeanBackward(ReadOnlySpan<float> grad, int columns, ReadOnlySpan<int> indices, ReadOnlySpan<int> offsets, Span<float> tableGrad)
    {
        Check(tableGrad.Length, columns, indices.Length, offsets.Length, grad.Length, "grad");
        for (int b = 0; b + 1 < offsets.Length; b++)
        {
            int first = offsets[b], end = offsets[b + 1];
            if (end == first) continue;
            ReadOnlySpan<float> bagGrad = grad.Slice(b * columns, columns);
            float share = 1f / (end - first);
            for (int i = first; i < end; i++) AxpyKernel.Axpy(share, bagGrad, tableGrad.Slice(indices[i] * columns, columns));
        }
    }

    /// <summary>Throws unless the table is whole rows, there is at least one offset, and the bag rows are one per bag.</summary>
    public static void Check(int tableLength, int columns, int indexCount, int offsetCount, int bagRowsLength, string bagRowsName)
    {
        RowMajor.Rows(tableLength, columns);
        if (offsetCount == 0) throw new ArgumentException($"The offsets need at least one entry (the end of the indices); {indexCount} indices.");
        RowMajor.Length(bagRowsName, bagRowsLength, (offsetCount - 1) * columns);
    }
}
