using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Models.Training;

namespace EmbedEngine.Models.GloVe;

/// <summary>
/// The CPU side of a GloVe GPU run: takes the shuffled entries as <see cref="GloVeWorker"/> would, gathers them into
/// batches and hands full batches to the device (<see cref="GloveGpu"/>), where the weights stay.
/// </summary>
internal sealed class GloVeGpuWorker(GloVeOptions options, GpuSubmissions submissions, GloveParameters parameters, ulong seed)
    : IGloVeWorker, IDisposable
{
    private readonly StreamedBuffer<int> _rows = new("GloVe entry rows");
    private readonly StreamedBuffer<int> _columns = new("GloVe entry columns");
    private readonly StreamedBuffer<float> _counts = new("GloVe entry counts");
    private readonly GloveSettings _settings = new(options.Dimension, options.XMax, options.Alpha, options.LearningRate, options.GradientClip);
    private FastRandom _random = new(seed);

    /// <inheritdoc/>
    public double LossSum { get; private set; }

    /// <inheritdoc/>
    public long Predictions { get; private set; }

    /// <inheritdoc/>
    public void Shuffle(Span<GloVeEntry> slice) => _random.Shuffle(slice);

    /// <inheritdoc/>
    public void Train(ReadOnlySpan<GloVeEntry> slice)
    {
        foreach (GloVeEntry entry in slice)
        {
            _rows.Add(entry.Row);
            _columns.Add(entry.Column);
            _counts.Add(entry.Count);
        }
        Predictions += slice.Length;
        if (_rows.Count >= submissions.BatchSize) Flush();
    }

    /// <summary>Hands over the last batch, reads the cost still on the device and frees the batch's device buffers.</summary>
    /// <exception cref="InvalidOperationException">A cost came out NaN or infinite: training diverged.</exception>
    public void Finish()
    {
        Flush();
        AddCost(submissions.Drain());
        Dispose();
    }

    private void Flush()
    {
        if (_rows.Count == 0) return;
        GpuDevice device = submissions.Device;
        AddCost(submissions.Submit(cost =>
            GloveGpu.Update(device, parameters, _rows.Upload(device), _columns.Upload(device), _counts.Upload(device), _settings, cost)));
        _rows.Clear();
        _columns.Clear();
        _counts.Clear();
    }

    private void AddCost(double cost)
    {
        if (!double.IsFinite(cost))
            throw new InvalidOperationException(
                $"GloVe training diverged (cost {cost} in a batch on {submissions.Device.Name}); lower the learning rate (eta, now {options.LearningRate})");
        LossSum += cost;
    }

    /// <summary>Frees the batch's device buffers.</summary>
    public void Dispose()
    {
        _rows.Dispose();
        _columns.Dispose();
        _counts.Dispose();
    }
}
