using EmbedEngine.Kernels.Dense;
using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Kernels.Gpu.Dense;
using EmbedEngine.Tensors.Autograd;

namespace EmbedEngine.Tensors;

/// <summary>Embedding lookup.</summary>
public static unsafe partial class Ops
{
    /// <summary>
    /// Rows <paramref name="indices"/> of <paramref name="table"/> [vocabulary, dimension], as [indices, dimension].
    /// The array is read again by backward, so keep it unchanged until then (reuse it next step).
    /// </summary>
    public static Tensor Embedding(Tensor table, int[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (table.Rank != 2 || !table.IsContiguous) throw new ArgumentException($"Embedding: the table must be a contiguous matrix; got {table.Shape}.");
        int columns = table.Shape[1];
        Graph graph = Graph.Current;
        Tensor rows = graph.NewTensor(new Shape(indices.Length, columns), zero: false, table.Device);
        if (table.Device.Gpu is GpuDevice gpu) return EmbeddingOnDevice(gpu, table, indices, rows);
        EmbeddingKernel.Gather(table.AsSpan(), columns, indices, rows.AsSpan());
        if (graph.NeedsGrad(table)) graph.Record(new TapeEntry { Backward = &EmbeddingBackward, Output = rows, A = table, Indices = indices });
        return rows;
    }

    /// <summary>The lookup on a GPU; the indices are checked on the host (the kernel does not) and uploaded once for both passes.</summary>
    private static Tensor EmbeddingOnDevice(GpuDevice gpu, Tensor table, int[] indices, Tensor rows)
    {
        int vocabulary = table.Shape[0];
        foreach (int index in indices)
            if ((uint)index >= (uint)vocabulary)
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"Embedding: an index must name a row below {vocabulary}.");
        Tensor uploaded = Tensor.Upload(table.Device, indices);
        EmbeddingGpu.Gather(gpu, table.DeviceView("Embedding"), table.Shape[1], uploaded.Indices, rows.DeviceView("Embedding"));
        Graph graph = Graph.Current;
        if (graph.NeedsGrad(table)) graph.Record(new TapeEntry { Backward = &EmbeddingBackwardOnDevice, Output = rows, A = table, Saved = uploaded });
        return rows;
    }

    private static void EmbeddingBackwardOnDevice(ref TapeEntry entry)
    {
        Tensor table = entry.A!;
        EmbeddingGpu.ScatterAdd(table.GpuOf("Embedding"), entry.Output.Grad!.DeviceView("Embedding"), entry.Saved!.Indices,
            Graph.Current.GradOf(table).DeviceView("Embedding"), table.Shape[1]);
    }

    private static void EmbeddingBackward(ref TapeEntry entry)
    {
        Tensor table = entry.A!;
        EmbeddingKernel.ScatterAdd(entry.Output.Grad!.AsSpan(), entry.Indices, Graph.Current.GradOf(table).AsSpan(), table.Shape[1]);
    }
}
