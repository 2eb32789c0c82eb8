using EmbedEngine.Models.Training;

namespace EmbedEngine.Models.GloVe;

/// <summary>One worker of a GloVe run, on the CPU (<see cref="GloVeWorker"/>) or feeding a GPU (<see cref="GloVeGpuWorker"/>).</summary>
internal interface IGloVeWorker : ILossCounter
{
    /// <summary>Shuffles <paramref name="slice"/> so each epoch visits its entries in a new order.</summary>
    void Shuffle(Span<GloVeEntry> slice);

    /// <summary>Trains the entries of <paramref name="slice"/> in order.</summary>
    /// <exception cref="InvalidOperationException">An update came out NaN or infinite: training diverged.</exception>
    void Train(ReadOnlySpan<GloVeEntry> slice);

    /// <summary>Called once after the worker's last entry: a GPU worker hands over the batch it is still building.</summary>
    void Finish()
    {
    }
}
