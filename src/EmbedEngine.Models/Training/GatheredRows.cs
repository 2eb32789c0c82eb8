using EmbedEngine.Distributed;
using EmbedEngine.Tensors;

namespace EmbedEngine.Models.Training;

/// <summary>
/// The whole batch's rows of a per-row output (embeddings [rows, columns]) on every rank of a data-parallel job, each
/// rank having computed its share of them: the other ranks' rows, all-gathered as plain numbers, stand as constants on
/// either side of this rank's own rows, which stay in the graph. A loss over the whole batch (a contrastive loss, which
/// couples every row with every other) then back-propagates into this rank's encoder through its own rows only: their
/// part of the one-process gradient. One per step (<see cref="DataParallelStep.GatherRows"/>); disposing it frees the
/// constants after the backward pass.
/// </summary>
/// <param name="world">The job.</param>
/// <param name="gathered">Told the floats of each gather's whole batch of rows.</param>
public sealed class GatheredRows(MpiWorld world, Action<int> gathered) : IDisposable
{
    private readonly List<Tensor> _constants = [];

    /// <summary>
    /// The whole batch's rows of which this rank computed <paramref name="share"/> [count, columns], the rows from
    /// <paramref name="firstRow"/> on in the batch; ranks own consecutive ranges in rank order.
    /// </summary>
    /// <exception cref="InvalidOperationException">The ranks' rows do not tile the batch as this rank's range says.</exception>
    public Tensor Of(Tensor share, int firstRow)
    {
        ArgumentNullException.ThrowIfNull(share);
        Tensor own = share.Contiguous();
        int columns = own.Shape[1], before = firstRow * columns;
        float[] all = world.GatherAll(own.AsSpan());
        gathered(all.Length);
        int after = all.Length - before - own.Count;
        if (after < 0 || all.Length % columns != 0)
            throw new InvalidOperationException($"Rank {world.Rank}'s rows from {firstRow} do not fit the {all.Length / columns} rows the ranks gathered.");
        // Flattened to one row, the parts join along the last dimension, the one ConcatLast joins along.
        Tensor whole = own.Reshape(1, own.Count);
        if (before > 0) whole = Ops.ConcatLast(Constant(all.AsSpan(0, before)), whole);
        if (after > 0) whole = Ops.ConcatLast(whole, Constant(all.AsSpan(before + own.Count)));
        return whole.Reshape(all.Length / columns, columns);
    }

    private Tensor Constant(ReadOnlySpan<float> values)
    {
        Tensor constant = Tensor.FromArray(values, 1, values.Length);
        _constants.Add(constant);
        return constant;
    }

    /// <summary>Frees the other ranks' rows, once the backward pass has read them.</summary>
    public void Dispose()
    {
        foreach (Tensor constant in _constants) constant.Dispose();
        _constants.Clear();
    }
}
