using ILGPU;

namespace EmbedEngine.Models.Training;

/// <summary>
/// What every CPU thread of a GPU run shares: it gathers windows into a batch, hands a full batch to the device
/// (<see cref="GpuSubmissions"/>), and at the end hands over the rest and reads the loss still there. A batch trains
/// at the learning rate of its last sentence.
/// </summary>
/// <param name="submissions">The run's way onto the device.</param>
internal abstract class GpuSentenceWorker(GpuSubmissions submissions) : ISentenceWorker, IDisposable
{
    /// <summary>The run's way onto the device.</summary>
    protected GpuSubmissions Submissions { get; } = submissions;

    /// <summary>The rate of the latest sentence.</summary>
    protected float LearningRate { get; private set; }

    /// <inheritdoc/>
    public double LossSum { get; private set; }

    /// <inheritdoc/>
    public long Predictions { get; private set; }

    /// <summary>Predictions gathered into the batch being built; they count once their loss has been read.</summary>
    protected long PendingPredictions { get; set; }

    /// <summary>Predictions of the batch handed over last, whose loss the next reading brings.</summary>
    private long _inFlightPredictions;

    /// <summary>Windows gathered since the last hand-over.</summary>
    protected abstract int Pending { get; }

    /// <inheritdoc/>
    public void TrainSentence(ReadOnlySpan<int> sentence, float learningRate)
    {
        LearningRate = learningRate;
        Gather(sentence);
        if (Pending >= Submissions.BatchSize) Flush();
    }

    /// <summary>Adds the windows of <paramref name="sentence"/> to the batch.</summary>
    protected abstract void Gather(ReadOnlySpan<int> sentence);

    /// <summary>Uploads the batch, queues its kernel (adding its loss to <paramref name="loss"/>) and starts a new one.</summary>
    protected abstract void Launch(ArrayView<float> loss);

    /// <summary>Hands over the last batch, reads the loss still on the device and frees the batch's device buffers.</summary>
    public void Finish()
    {
        Flush();
        LossSum += Submissions.Drain();
        Predictions += _inFlightPredictions;
        _inFlightPredictions = 0;
        Dispose();
    }

    /// <summary>
    /// Hands the batch over; the loss read back is that of the batches before, so the predictions it covers are
    /// the previous batch's, and progress lines divide like by like.
    /// </summary>
    private void Flush()
    {
        if (Pending == 0) return;
        LossSum += Submissions.Submit(Launch);
        Predictions += _inFlightPredictions;
        _inFlightPredictions = PendingPredictions;
        PendingPredictions = 0;
    }

    /// <summary>Frees the batch's device buffers.</summary>
    public abstract void Dispose();
}
