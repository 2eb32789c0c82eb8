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
    public long Predictions { get; protected set; }

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
        Dispose();
    }

    private void Flush()
    {
        if (Pending > 0) LossSum += Submissions.Submit(Launch);
    }

    /// <summary>Frees the batch's device buffers.</summary>
    public abstract void Dispose();
}
