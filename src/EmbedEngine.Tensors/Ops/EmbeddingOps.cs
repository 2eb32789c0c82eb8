using EmbedEngine.Kernels.Dense;
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
        Tensor rows = graph.NewTensor(new Shape(indices.Length, columns), zero: false);
        EmbeddingKernel.Gather(table.AsSpan(), columns, indices, rows.AsSpan());
        if (graph.NeedsGrad(table)) graph.Record(new TapeEntry { Backward = &EmbeddingBackward, Output = rows, A = table, Indices = indices });
        return rows;
    }

    private static void EmbeddingBackward(ref TapeEntry entry)
    {
        Tensor table = entry.A!;
        EmbeddingKernel.ScatterAdd(entry.Output.Grad!.AsSpan(), entry.Indices, Graph.Current.GradOf(table).AsSpan(), table.Shape[1]);
    }
}
