using EmbedEngine.Kernels;
using EmbedEngine.Models.Training;
using EmbedEngine.Models.Word2Vec;
using EmbedEngine.Text;

namespace EmbedEngine.Models.FastText;

/// <summary>
/// One fastText training thread: a word's input is the average of its subword rows, and the gradient goes back to
/// every one of them in full. Skip-gram predicts each context word from the centre word's subwords; CBOW predicts
/// the centre word from all subwords of its context words together. Lock-free on the shared matrices (Hogwild).
/// </summary>
internal sealed unsafe class FastTextWorker : ISentenceWorker, IResumableWorker
{
    private readonly FastTextOptions _options;
    private readonly NativeMatrix _input;
    private readonly NativeMatrix _output;
    private readonly SubwordTable _subwords;
    private readonly Subsampler _subsampler;
    private readonly NegativeTargets? _negatives;
    private readonly TreePath? _tree;
    private readonly int[] _kept;
    private readonly int[] _bag;
    private readonly float[] _hidden;
    private readonly float[] _hiddenGrad;
    private readonly float[] _rowsGrad;
    private FastRandom _random;

    public FastTextWorker(FastTextOptions options, NativeMatrix input, NativeMatrix output, SubwordTable subwords,
        Subsampler subsampler, NoiseSampler? noise, HuffmanTree? tree, ulong seed)
    {
        _options = options;
        _input = input;
        _output = output;
        _subwords = subwords;
        _subsampler = subsampler;
        _negatives = noise == null ? null : new NegativeTargets(noise, options.Negative);
        _tree = tree == null ? null : new TreePath(tree, fastTextBranches: true);
        _random = new FastRandom(seed);
        _kept = new int[options.MaxSentenceLength];
        _bag = options.Architecture == Word2VecArchitecture.Cbow ? new int[2 * options.Window * subwords.MaxLength] : [];
        _hidden = new float[options.Dimension];
        _hiddenGrad = new float[options.Dimension];
        _rowsGrad = new float[options.Dimension];
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
        ReadOnlySpan<int> kept = _subsampler.Subsample(sentence, ref _random, _kept);
        for (int position = 0; position < kept.Length; position++)
        {
            int radius = 1 + _random.NextInt(_options.Window);
            int from = Math.Max(0, position - radius), to = Math.Min(kept.Length - 1, position + radius);
            if (from == to) continue;
            if (_options.Architecture == Word2VecArchitecture.Cbow) TrainCbow(kept, position, from, to, learningRate);
            else TrainSkipGram(kept, position, from, to, learningRate);
        }
    }

    /// <summary>
    /// fastText adds each context word's gradient g to every subword row and re-averages them before the next context
    /// word. Since every row receives the same g, the new average is the old one plus g (times the word's
    /// <see cref="SubwordTable.AverageShift"/> when hashing repeats a row), so the rows are read once, the average is
    /// kept up to date locally, and the summed gradient is written to the rows once per centre word: the same
    /// arithmetic on one thread, with a fraction of the memory traffic.
    /// </summary>
    private void TrainSkipGram(ReadOnlySpan<int> kept, int position, int from, int to, float learningRate)
    {
        int word = kept[position];
        ReadOnlySpan<int> rows = _subwords.Rows(word);
        float shift = _subwords.AverageShift(word);
        CbowKernel.Average(_input.Data, _input.Stride, rows, _hidden);
        Array.Clear(_rowsGrad);
        for (int c = from; c <= to; c++)
        {
            if (c == position) continue;
            Array.Clear(_hiddenGrad);
            Predict(kept[c], learningRate);
            AxpyKernel.Axpy(1f, _hiddenGrad, _rowsGrad);
            AxpyKernel.Axpy(shift, _hiddenGrad, _hidden);
        }
        CbowKernel.Scatter(_input.Data, _input.Stride, rows, _rowsGrad);
    }

    private void TrainCbow(ReadOnlySpan<int> kept, int position, int from, int to, float learningRate)
    {
        ReadOnlySpan<int> bag = SubwordBag.Gather(_subwords, kept, position, from, to, _bag);
        CbowKernel.Average(_input.Data, _input.Stride, bag, _hidden);
        Array.Clear(_hiddenGrad);
        Predict(kept[position], learningRate);
        CbowKernel.Scatter(_input.Data, _input.Stride, bag, _hiddenGrad);
    }

    /// <summary>One loss at a time, as fastText; it redraws a negative equal to the true word rather than dropping it.</summary>
    private void Predict(int word, float learningRate)
    {
        int count;
        LossSum += _tree != null
            ? _tree.Update(_hidden, _output, word, learningRate, _hiddenGrad, _options.Sigmoid, out count)
            : _negatives!.Update(_hidden, OutputRows.Of(_output), word, ref _random, allowSkip: false, learningRate, _hiddenGrad,
                _options.Sigmoid, out count);
        Predictions += count;
    }
}
