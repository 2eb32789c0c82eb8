using EmbedEngine.Kernels.Dense;
using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Kernels.Gpu.Dense;
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
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(offsets);
        if (table.Rank != 2 || !table.IsContiguous) throw new ArgumentException($"EmbeddingBagMean: the table must be a contiguous matrix; got {table.Shape}.");
        if (offsets.Length == 0 || offsets[0] != 0 || offsets[^1] != indices.Length)
            throw new ArgumentException($"EmbeddingBagMean: offsets must run from 0 to the {indices.Length} indices.");
        int rows = table.Shape[0], columns = table.Shape[1], bags = offsets.Length - 1;
        for (int b = 0; b < bags; b++)
            if (offsets[b + 1] < offsets[b]) throw new ArgumentException($"EmbeddingBagMean: offsets decrease at bag {b}.");
        foreach (int index in indices)
            if ((uint)index >= (uint)rows) throw new ArgumentOutOfRangeException(nameof(indices), $"EmbeddingBagMean: row {index} is outside the table's {rows}.");
        Graph graph = Graph.Current;
        Tensor output = graph.NewTensor(new Shape(bags, columns), zero: false, table.Device);
        Tensor? uploadedOffsets = null, uploadedIndices = null;
        if (table.Device.Gpu is GpuDevice gpu)
        {
            // Checked above on the host; uploaded once for both passes.
            uploadedOffsets = Tensor.Upload(table.Device, offsets);
            uploadedIndices = Tensor.Upload(table.Device, indices);
            EmbeddingBagGpu.Mean(gpu, table.DeviceView("EmbeddingBagMean"), columns, uploadedIndices.Indices, uploadedOffsets.Indices,
                output.DeviceView("EmbeddingBagMean"));
        }
        else EmbeddingBagKernel.Mean(table.AsSpan(), columns, indices, offsets, output.AsSpan());
        if (graph.NeedsGrad(table))
            graph.Record(new TapeEntry
            {
                Backward = &EmbeddingBagMeanBackward, Output = output, A = table, Indices = indices, Context = offsets, Saved = uploadedOffsets,
                Saved2 = uploadedIndices,
            });
        return output;
    }

    private static void EmbeddingBagMeanBackward(ref TapeEntry entry)
    {
        Tensor table = entry.A!;
        int columns = table.Shape[1];
        Tensor grad = entry.Output.Grad!, tableGrad = Graph.Current.GradOf(table);
        if (table.Device.Gpu is GpuDevice gpu)
            EmbeddingBagGpu.MeanBackward(gpu, grad.DeviceView("EmbeddingBagMean"), columns, entry.Saved2!.Indices, entry.Saved!.Indices,
                tableGrad.DeviceView("EmbeddingBagMean"));
        else EmbeddingBagKernel.MeanBackward(grad.AsSpan(), columns, entry.Indices, (int[])entry.Context!, tableGrad.AsSpan());
    }
}
