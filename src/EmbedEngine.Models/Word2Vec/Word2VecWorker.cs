using EmbedEngine.Kernels;
using EmbedEngine.Models.Training;
using EmbedEngine.Text;

namespace EmbedEngine.Models.Word2Vec;

/// <summary>
/// One training thread: subsamples a sentence, walks its windows and calls the fused kernels on the shared
/// matrices without locks (Hogwild). All scratch space is allocated once, here.
/// </summary>
internal sealed unsafe class Word2VecWorker : ISentenceWorker, IResumableWorker
{
    private readonly Word2VecOptions _options;
    private readonly Word2VecWeights _weights;
    private readonly Subsampler _subsampler;
    private readonly NegativeTargets? _negatives;
    private readonly TreePath? _tree;
    private readonly int _dimension;
    private readonly int[] _kept;
    private readonly int[] _context;
    private readonly float[] _hidden;
    private readonly float[] _hiddenGrad;
    private readonly float[] _batchScratch;
    private readonly StagedRows? _staged;
    private readonly OutputRows _negativeOutput;
    private FastRandom _random;

    /// <summary>
    /// Skip-gram's row updates between merges of the staged rows: about 50,000 words on the comparison corpus. Merging
    /// a 15,000-word matrix every 10,000 words cost about a sixth of 2 threads' rate; every 50,000 was as fast as every
    /// 100,000 (docs/word2vec-gensim.md).
    /// </summary>
    private const long SkipGramMergeUpdates = 1_000_000;

    /// <summary>
    /// CBOW's row updates between merges: about 12,000 words. CBOW's vectors suffer more from stale copies than
    /// skip-gram's: merging every 300,000 words scored 1.2 analogy, 1.8 MEN and 2.1 MTurk-771 points below the rows in
    /// place, every 50,000 still 1.1 MEN points below; frequent merges are cheap with <see cref="CbowStagedRows"/> rows.
    /// </summary>
    private const long CbowMergeUpdates = 40_000;

    /// <summary>
    /// Rows CBOW stages by default: the most frequent words', where the two cores meet most. With frequent merges, 2,000
    /// ran as fast as 4,000 and faster than 1,000 or every row (docs/word2vec-gensim.md).
    /// </summary>
    private const int CbowStagedRows = 2_000;

    public Word2VecWorker(Word2VecOptions options, Word2VecWeights weights, Subsampler subsampler,
        NoiseSampler? noise, HuffmanTree? tree, ulong seed, Lock stagingGate)
    {
        _options = options;
        _weights = weights;
        _subsampler = subsampler;
        _negatives = noise == null ? null : new NegativeTargets(noise, options.Negative);
        _tree = tree == null ? null : new TreePath(tree, fastTextBranches: false);
        _dimension = options.Dimension;
        _random = new FastRandom(seed);
        _kept = new int[options.MaxSentenceLength];
        _context = new int[2 * options.Window];
        _hidden = new float[_dimension];
        _hiddenGrad = new float[_dimension];
        _batchScratch = options.SharedNegatives
            ? new float[BatchedSgnsKernel.ScratchLength(_context.Length, options.Negative + 1, _dimension)]
            : [];
        if (noise != null)
        {
            // One thread has no one to share the rows with; shared negatives update their rows once per window.
            bool cbow = options.Architecture == Word2VecArchitecture.Cbow;
            int affordable = Training.StagedRows.Affordable(weights.NegativeOutput!, options.Threads);
            int staged = options.StagedRows ?? (cbow ? Math.Min(CbowStagedRows, affordable) : affordable);
            if (options.Threads > 1 && staged > 0 && !options.SharedNegatives)
                _staged = new StagedRows(weights.NegativeOutput!, staged, cbow ? CbowMergeUpdates : SkipGramMergeUpdates, stagingGate);
            _negativeOutput = _staged?.Rows ?? OutputRows.Of(weights.NegativeOutput!);
        }
    }

    /// <inheritdoc/>
    public double LossSum { get; private set; }

    /// <inheritdoc/>
    public long Predictions { get; private set; }

    /// <inheritdoc/>
    public ulong RandomState => _random.State;

    /// <inheritdoc/>
    public void TrainSentence(ReadOnlySpan<int> sentence, float learningRate)
    {
        long predictionsBefore = Predictions;
        var windows = new ContextWindow(_subsampler.Subsample(sentence, ref _random, _kept), _options.Window, _context);
        while (windows.MoveNext(ref _random))
        {
            if (_options.Architecture == Word2VecArchitecture.Cbow) TrainCbow(windows.Word, windows.Context, learningRate);
            else if (_options.SharedNegatives) TrainSkipGramShared(windows.Word, windows.Context, learningRate);
            else TrainSkipGram(windows.Word, windows.Context, learningRate);
        }
        _staged?.CountUpdates(Predictions - predictionsBefore);
    }

    private void TrainCbow(int word, ReadOnlySpan<int> context, float learningRate)
    {
        NativeMatrix input = _weights.Input;
        CbowKernel.Average(input.Data, input.Stride, context, _hidden);
        Array.Clear(_hiddenGrad);
        PredictWord(_hidden, word, learningRate);
        CbowKernel.Scatter(input.Data, input.Stride, context, _hiddenGrad);
    }

    private void TrainSkipGram(int word, ReadOnlySpan<int> context, float learningRate)
    {
        NativeMatrix input = _weights.Input;
        foreach (int contextWord in context)
        {
            var row = new Span<float>(input.RowPointer(contextWord), _dimension);
            Array.Clear(_hiddenGrad);
            PredictWord(row, word, learningRate);
            AxpyKernel.Axpy(1f, _hiddenGrad, row);
        }
    }

    private void TrainSkipGramShared(int word, ReadOnlySpan<int> context, float learningRate)
    {
        int outputs = _negatives!.Draw(word, ref _random, allowSkip: false);
        NativeMatrix input = _weights.Input, output = _weights.NegativeOutput!;
        LossSum += BatchedSgnsKernel.Update(input.Data, input.Stride, context, output.Data, output.Stride,
            _negatives.Targets(outputs), _dimension, learningRate, _batchScratch, _options.Sigmoid);
        Predictions += context.Length * outputs;
    }

    /// <inheritdoc/>
    public void Flush() => _staged?.Merge();

    /// <summary>One prediction of <paramref name="word"/> from <paramref name="hidden"/>; gradients land in _hiddenGrad.</summary>
    private void PredictWord(ReadOnlySpan<float> hidden, int word, float learningRate)
    {
        if (_tree != null)
        {
            LossSum += _tree.Update(hidden, _weights.TreeOutput!, word, learningRate, _hiddenGrad, _options.Sigmoid,
                out int count);
            Predictions += count;
        }
        if (_negatives != null)
        {
            LossSum += _negatives.Update(hidden, _negativeOutput, word, ref _random, allowSkip: true, learningRate,
                _hiddenGrad, _options.Sigmoid, out int count);
            Predictions += count;
        }
    }
}
