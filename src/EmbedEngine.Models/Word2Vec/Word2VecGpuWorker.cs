using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Models.Training;
using EmbedEngine.Text;

namespace EmbedEngine.Models.Word2Vec;

/// <summary>
/// One CPU thread of a GPU run: subsamples its sentences and walks their windows as <see cref="Word2VecWorker"/> does,
/// but gathers each window (context rows, true word, negatives) into a batch and hands full batches to the device:
/// skip-gram's windows share their negatives (<see cref="SgnsWindowGpu"/>), CBOW's average their context
/// (<see cref="CbowGpu"/>). A batch trains at the learning rate of its last sentence.
/// </summary>
internal sealed class Word2VecGpuWorker : ISentenceWorker, IDisposable
{
    private readonly Word2VecOptions _options;
    private readonly GpuSubmissions _submissions;
    private readonly DeviceMatrix _input;
    private readonly DeviceMatrix _output;
    private readonly Subsampler _subsampler;
    private readonly NegativeTargets _negatives;
    private readonly SgnsWindowBatch? _skipGram;
    private readonly CbowBatch? _cbow;
    private readonly int[] _kept;
    private readonly int[] _context;
    private FastRandom _random;
    private float _learningRate;

    public Word2VecGpuWorker(Word2VecOptions options, GpuSubmissions submissions, DeviceMatrix input, DeviceMatrix output,
        Subsampler subsampler, NoiseSampler noise, ulong seed)
    {
        _options = options;
        _submissions = submissions;
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
            int contextCount = ContextWindow.Gather(kept, position, _options.Window, ref _random, _context);
            if (contextCount == 0) continue;
            ReadOnlySpan<int> context = _context.AsSpan(0, contextCount);
            int word = kept[position];
            if (_skipGram != null)
            {
                // As the CPU's shared-negatives path: a full set of negatives for the whole window.
                int outputs = _negatives.Draw(word, ref _random, allowSkip: false);
                _skipGram.Add(context, _negatives.Targets(outputs));
                Predictions += contextCount * outputs;
                if (_skipGram.Count >= _submissions.BatchSize) Flush();
            }
            else
            {
                int outputs = _negatives.Draw(word, ref _random, allowSkip: true);
                _cbow!.BeginWindow(context, shift: 1f);
                _cbow.AddPrediction(_negatives.Targets(outputs));
                _cbow.EndWindow();
                Predictions += outputs;
                if (_cbow.Count >= _submissions.BatchSize) Flush();
            }
        }
    }

    /// <summary>Hands over the last batch, reads the loss still on the device and frees the batch's device buffers.</summary>
    public void Finish()
    {
        Flush();
        LossSum += _submissions.Drain();
        Dispose();
    }

    /// <summary>Frees the batch's device buffers.</summary>
    public void Dispose()
    {
        _skipGram?.Dispose();
        _cbow?.Dispose();
    }

    private void Flush()
    {
        if ((_skipGram?.Count ?? _cbow!.Count) == 0) return;
        LossSum += _submissions.Submit(loss =>
        {
            if (_skipGram != null)
                _skipGram.Launch(_submissions.Device, _input, _output, _options.Dimension, _learningRate, _options.Sigmoid, loss);
            else
                _cbow!.Launch(_submissions.Device, _input, _output, _options.Dimension, _learningRate, _options.Sigmoid, loss);
        });
    }
}
