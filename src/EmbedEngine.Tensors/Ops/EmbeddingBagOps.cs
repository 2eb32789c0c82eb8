using EmbedEngine.Kernels;
using EmbedEngine.Tensors.Autograd;

namespace EmbedEngine.Tensors;

/// <summary>Bags of embedding rows averaged into one vector each (a word's character n-grams, as fastText sums them).</summary>
public static unsafe partial class Ops
{
    /// <summary>
    /// The mean of the rows of <paramref name="table"/> [rows, D] named by each bag: bag b holds
    /// <paramref name="indices"/>[<paramref name="offsets"/>[b] .. <paramref name="offsets"/>[b + 1]), so there are
    /// offsets.Length − 1 bags and the result is [bags, D]; an empty bag gives zeros. A row named twice in a bag counts
    /// twice. Both arrays are read again by backward, so keep them unchanged until then.
    /// </summary>
    public static Tensor EmbeddingBagMean(Tensor table, int[] indices, int[] offsets)
    {
        Devices.RequireCpu("EmbeddingBagMean", table);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(offsets);
        if (table.Rank != 2 || !table.IsContiguous) throw new ArgumentException($"EmbeddingBagMean: the table must be a contiguous matrix; got {table.Shape}.");
        if (indices.Length >= 1 << 24) throw new ArgumentException($"EmbeddingBagMean: {indices.Length} indices are more than one call takes (2^24).");
        if (offsets.Length == 0 || offsets[0] != 0 || offsets[^1] != indices.Length)
            throw new ArgumentException($"EmbeddingBagMean: offsets must run from 0 to the {indices.Length} indices.");
        int rows = table.Shape[0], columns = table.Shape[1], bags = offsets.Length - 1;
        for (int b = 0; b < bags; b++)
            if (offsets[b + 1] < offsets[b]) throw new ArgumentException($"EmbeddingBagMean: offsets decrease at bag {b}.");
        foreach (int index in indices)
            if ((uint)index >= (uint)rows) throw new ArgumentOutOfRangeException(nameof(indices), $"EmbeddingBagMean: row {index} is outside the table's {rows}.");
        Graph graph = Graph.Current;
        Tensor output = graph.NewTensor(new Shape(bags, columns), zero: true);
        ReadOnlySpan<float> t = table.AsSpan();
        Span<float> o = output.AsSpan();
        for (int b = 0; b < bags; b++)
        {
            Span<float> bag = o.Slice(b * columns, columns);
            for (int i = offsets[b]; i < offsets[b + 1]; i++) AxpyKernel.Axpy(1f, t.Slice(indices[i] * columns, columns), bag);
            if (offsets[b + 1] > offsets[b] + 1) ScaleKernel.Scale(1f / (offsets[b + 1] - offsets[b]), bag);
        }
        if (graph.NeedsGrad(table))
            graph.Record(new TapeEntry { Backward = &EmbeddingBagMeanBackward, Output = output, A = table, Indices = indices, Saved = OffsetsOf(graph, offsets) });
        return output;
    }

    /// <summary>The offsets as floats in a graph tensor: the tape keeps one integer array per entry, exact below 2²⁴.</summary>
    private static Tensor OffsetsOf(Graph graph, int[] offsets)
    {
        Tensor saved = graph.NewTensor(new Shape(offsets.Length), zero: false);
        Span<float> s = saved.AsSpan();
        for (int i = 0; i < offsets.Length; i++) s[i] = offsets[i];
        return saved;
    }

    private static void EmbeddingBagMeanBackward(ref TapeEntry entry)
    {
        Tensor table = entry.A!;
        int columns = table.Shape[1];
        ReadOnlySpan<float> grad = entry.Output.Grad!.AsSpan(), offsets = entry.Saved!.AsSpan();
        Span<float> tableGrad = Graph.Current.GradOf(table).AsSpan();
        int[] indices = entry.Indices!;
        for (int b = 0; b + 1 < offsets.Length; b++)
        {
            int first = (int)offsets[b], end = (int)offsets[b + 1];
            if (end == first) continue;
            ReadOnlySpan<float> bagGrad = grad.Slice(b * columns, columns);
            float share = 1f / (end - first);
            for (int i = first; i < end; i++) AxpyKernel.Axpy(share, bagGrad, tableGrad.Slice(indices[i] * columns, columns));
        }
    }
}
