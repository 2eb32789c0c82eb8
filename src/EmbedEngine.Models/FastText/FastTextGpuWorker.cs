using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Models.Training;
using EmbedEngine.Models.Word2Vec;
using EmbedEngine.Text;

namespace EmbedEngine.Models.FastText;

/// <summary>
/// One CPU thread of a fastText GPU run: walks its windows as <see cref="FastTextWorker"/> does and gathers each
/// into a <see cref="CbowBatch"/>: skip-gram's window is the centre word's subword rows predicting every context word
/// in turn (each with its own negatives, the running mean moved by the word's average shift between them), CBOW's the
/// subword rows of all context words predicting the centre. Full batches go to the device (<see cref="CbowGpu"/>).
/// </summary>
internal sealed class FastTextGpuWorker : ISentenceWorker, IDisposable
{
    private readonly FastTextOptions _options;
    private readonly GpuSubmissions _submissions;
    private readonly DeviceMatrix _input;
    private readonly DeviceMatrix _output;
    private readonly SubwordTable _subwords;
    private readonly Subsampler _subsampler;
    private readonly NegativeTargets _negatives;
    private readonly CbowBatch _batch = new();
    private readonly int[] _kept;
    private readonly int[] _bag;
    private FastRandom _random;
    private float _learningRate;

    public FastTextGpuWorker(FastTextOptions options, GpuSubmissions submissions, DeviceMatrix input, DeviceMatrix output,
        SubwordTable subwords, Subsampler subsampler, NoiseSampler noise, ulong seed)
    {
        _options = options;
        _submissions = submissions;
        _input = input;
        _output = output;
        _subwords = subwords;
        _subsampler = subsampler;
        _negatives = new NegativeTargets(noise, options.Negative);
        _random = new FastRandom(seed);
        _kept = new int[options.MaxSentenceLength];
        _bag = new int[2 * options.Window * subwords.MaxLength];
    }

    /// <inheritdoc/>
    public double LossSum { get; private set; }

    /// <inheritdoc/>
    public long Predictions { get; private set; }

    /// <inheritdoc/>
    public void TrainSentence(ReadOnlySpan<int> sentence, float learningRate)
    {
        _learningRate = learningRate;
        ReadOnlySpan<int> kept = _subsampler.Subsample(sentence, ref _random, _kept);
        for (int position = 0; position < kept.Length; position++)
        {
            int radius = 1 + _random.NextInt(_options.Window);
            int from = Math.Max(0, position - radius), to = Math.Min(kept.Length - 1, position + radius);
            if (from == to) continue;
            if (_options.Architecture == Word2VecArchitecture.Cbow) AddCbow(kept, position, from, to);
            else AddSkipGram(kept, position, from, to);
            if (_batch.Count >= _submissions.BatchSize) Flush();
        }
    }

    private void AddSkipGram(ReadOnlySpan<int> kept, int position, int from, int to)
    {
        int word = kept[position];
        _batch.BeginWindow(_subwords.Rows(word), _subwords.AverageShift(word));
        for (int c = from; c <= to; c++)
        {
            if (c != position) AddPrediction(kept[c]);
        }
        _batch.EndWindow();
    }

    private void AddCbow(ReadOnlySpan<int> kept, int position, int from, int to)
    {
        int count = 0;
        for (int c = from; c <= to; c++)
        {
            if (c == position) continue;
            ReadOnlySpan<int> rows = _subwords.Rows(kept[c]);
            rows.CopyTo(_bag.AsSpan(count));
            count += rows.Length;
        }
        _batch.BeginWindow(_bag.AsSpan(0, count), shift: 1f);
        AddPrediction(kept[position]);
        _batch.EndWindow();
    }

    /// <summary>fastText redraws a negative equal to the true word rather than dropping it.</summary>
    private void AddPrediction(int word)
    {
        int count = _negatives.Draw(word, ref _random, allowSkip: false);
        _batch.AddPrediction(_negatives.Targets(count));
        Predictions += count;
    }

    /// <summary>Hands over the last batch, reads the loss still on the device and frees the batch's device buffers.</summary>
    public void Finish()
    {
        Flush();
        LossSum += _submissions.Drain();
        Dispose();
    }

    private void Flush()
    {
        if (_batch.Count == 0) return;
        LossSum += _submissions.Submit(loss =>
            _batch.Launch(_submissions.Device, _input, _output, _options.Dimension, _learningRate, _options.Sigmoid, loss));
    }

    /// <summary>Frees the batch's device buffers.</summary>
    public void Dispose() => _batch.Dispose();
}
