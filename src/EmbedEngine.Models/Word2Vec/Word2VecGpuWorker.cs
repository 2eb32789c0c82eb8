using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Models.Training;
using EmbedEngine.Text;
using ILGPU;

namespace EmbedEngine.Models.Word2Vec;

/// <summary>
/// One CPU thread of a word2vec GPU run: subsamples its sentences and walks their windows as <see cref="Word2VecWorker"/>
/// does, gathering each window (context rows, true word, negatives) into a batch for the device: skip-gram's windows
/// share their negatives (<see cref="SgnsWindowGpu"/>), CBOW's average their context (<see cref="CbowGpu"/>).
/// </summary>
internal sealed class Word2VecGpuWorker : GpuSentenceWorker
{
    private readonly Word2VecOptions _options;
    private readonly DeviceMatrix _input;
    private readonly DeviceMatrix _output;
    private readonly Subsampler _subsampler;
    private readonly NegativeTargets _negatives;
    private readonly SgnsWindowBatch? _skipGram;
    private readonly CbowBatch? _cbow;
    private readonly int[] _kept;
    private readonly int[] _context;
    private FastRandom _random;

    public Word2VecGpuWorker(Word2VecOptions options, GpuSubmissions submissions, DeviceMatrix input, DeviceMatrix output,
        Subsampler subsampler, NoiseSampler noise, ulong seed)
        : base(submissions)
    {
        _options = options;
        _input = input;
        _output = output;
        _subsampler = subsampler;
        _negatives = new NegativeTargets(noise, options.Negative);
        if (options.Architecture == Word2VecArchitecture.SkipGram) _skipGram = new SgnsWindowBatch();
        else _cbow = new CbowBatch();
        _random = new FastRandom(seed);
        _kept = new int[options.MaxSentenceLength];
        _context = new int[2 * options.Window];
    }

    /// <inheritdoc/>
    protected override int Pending => _skipGram?.Count ?? _cbow!.Count;

    /// <inheritdoc/>
    protected override void Gather(ReadOnlySpan<int> sentence)
    {
        var windows = new ContextWindow(_subsampler.Subsample(sentence, ref _random, _kept), _options.Window, _context);
        while (windows.MoveNext(ref _random))
        {
            if (_skipGram != null)
            {
                // As the CPU's shared-negatives path: a full set of negatives for the whole window.
                int outputs = _negatives.Draw(windows.Word, ref _random, allowSkip: false);
                _skipGram.Add(windows.Context, _negatives.Targets(outputs));
                PendingPredictions += windows.Context.Length * outputs;
            }
            else
            {
                int outputs = _negatives.Draw(windows.Word, ref _random, allowSkip: true);
                _cbow!.BeginWindow(windows.Context, shift: 1f);
                _cbow.AddPrediction(_negatives.Targets(outputs));
                _cbow.EndWindow();
                PendingPredictions += outputs;
            }
        }
    }

    /// <inheritdoc/>
    protected override void Launch(ArrayView<float> loss)
    {
        if (_skipGram != null)
            _skipGram.Launch(Submissions.Device, _input, _output, _options.Dimension, LearningRate, _options.Sigmoid, loss);
        else
            _cbow!.Launch(Submissions.Device, _input, _output, _options.Dimension, LearningRate, _options.Sigmoid, loss);
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        _skipGram?.Dispose();
        _cbow?.Dispose();
    }
}
