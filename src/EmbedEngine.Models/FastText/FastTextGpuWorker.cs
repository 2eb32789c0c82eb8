using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Models.Training;
using EmbedEngine.Models.Word2Vec;
using EmbedEngine.Text;
using ILGPU;

namespace EmbedEngine.Models.FastText;

/// <summary>
/// One CPU thread of a fastText GPU run: walks its windows as <see cref="FastTextWorker"/> does and gathers each
/// into a <see cref="CbowBatch"/> for <see cref="CbowGpu"/>: skip-gram's window is the centre word's subword rows
/// predicting every context word in turn (each with its own negatives, the running mean moved by the word's average
/// shift between them), CBOW's the subword rows of all context words predicting the centre.
/// </summary>
internal sealed class FastTextGpuWorker : GpuSentenceWorker
{
    private readonly FastTextOptions _options;
    private readonly DeviceMatrix _input;
    private readonly DeviceMatrix _output;
    private readonly SubwordTable _subwords;
    private readonly Subsampler _subsampler;
    private readonly NegativeTargets _negatives;
    private readonly CbowBatch _batch = new();
    private readonly int[] _kept;
    private readonly int[] _bag;
    private FastRandom _random;

    public FastTextGpuWorker(FastTextOptions options, GpuSubmissions submissions, DeviceMatrix input, DeviceMatrix output,
        SubwordTable subwords, Subsampler subsampler, NoiseSampler noise, ulong seed)
        : base(submissions)
    {
        _options = options;
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
    protected override int Pending => _batch.Count;

    /// <inheritdoc/>
    protected override void Gather(ReadOnlySpan<int> sentence)
    {
        ReadOnlySpan<int> kept = _subsampler.Subsample(sentence, ref _random, _kept);
        for (int position = 0; position < kept.Length; position++)
        {
            int radius = 1 + _random.NextInt(_options.Window);
            int from = Math.Max(0, position - radius), to = Math.Min(kept.Length - 1, position + radius);
            if (from == to) continue;
            int word = kept[position];
            if (_options.Architecture == Word2VecArchitecture.Cbow)
            {
                _batch.BeginWindow(SubwordBag.Gather(_subwords, kept, position, from, to, _bag), shift: 1f);
                AddPrediction(word);
            }
            else
            {
                _batch.BeginWindow(_subwords.Rows(word), _subwords.AverageShift(word));
                for (int c = from; c <= to; c++)
                {
                    if (c != position) AddPrediction(kept[c]);
                }
            }
            _batch.EndWindow();
        }
    }

    /// <summary>fastText redraws a negative equal to the true word rather than dropping it.</summary>
    private void AddPrediction(int word)
    {
        int count = _negatives.Draw(word, ref _random, allowSkip: false);
        _batch.AddPrediction(_negatives.Targets(count));
        PendingPredictions += count;
    }

    /// <inheritdoc/>
    protected override void Launch(ArrayView<float> loss) =>
        _batch.Launch(Submissions.Device, _input, _output, _options.Dimension, LearningRate, _options.Sigmoid, loss);

    /// <inheritdoc/>
    public override void Dispose() => _batch.Dispose();
}
