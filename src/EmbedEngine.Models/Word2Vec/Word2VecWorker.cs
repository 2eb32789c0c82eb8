using EmbedEngine.Kernels;
using EmbedEngine.Models.Training;
using EmbedEngine.Text;

namespace EmbedEngine.Models.Word2Vec;

/// <summary>
/// One training thread: subsamples a sentence, walks its windows and calls the fused kernels on the shared
/// matrices without locks (Hogwild). All scratch space is allocated once, here.
/// </summary>
internal sealed unsafe class Word2VecWorker : ILossCounter
{
    private readonly Word2VecOptions _options;
    private readonly Word2VecWeights _weights;
    private readonly Subsampler _subsampler;
    private readonly NoiseSampler? _noise;
    private readonly HuffmanTree? _tree;
    private readonly int _dimension;
    private readonly int[] _kept;
    private readonly int[] _context;
    private readonly int[] _targets;
    private readonly float[] _labels;
    private readonly float[] _negativeLabels;
    private readonly float[] _hidden;
    private readonly float[] _hiddenGrad;
    private readonly float[] _batchScratch;
    private FastRandom _random;

    public Word2VecWorker(Word2VecOptions options, Word2VecWeights weights, Subsampler subsampler,
        NoiseSampler? noise, HuffmanTree? tree, ulong seed)
    {
        _options = options;
        _weights = weights;
        _subsampler = subsampler;
        _noise = noise;
        _tree = tree;
        _dimension = options.Dimension;
        _random = new FastRandom(seed);
        _kept = new int[options.MaxSentenceLength];
        _context = new int[2 * options.Window];
        int maxTargets = Math.Max(options.Negative + 1, tree?.MaxCodeLength ?? 0);
        _targets = new int[maxTargets];
        _labels = new float[maxTargets];
        _negativeLabels = new float[options.Negative + 1];
        _negativeLabels[0] = 1f;
        _hidden = new float[_dimension];
        _hiddenGrad = new float[_dimension];
        _batchScratch = options.SharedNegatives
            ? new float[BatchedSgnsKernel.ScratchLength(_context.Length, options.Negative + 1, _dimension)]
            : [];
    }

    /// <summary>Summed logistic loss of every prediction so far; written by this worker only.</summary>
    public double LossSum { get; private set; }

    /// <summary>Predictions behind <see cref="LossSum"/>.</summary>
    public long Predictions { get; private set; }

    /// <summary>Trains on one sentence of vocabulary ids with learning rate <paramref name="learningRate"/>.</summary>
    public void TrainSentence(ReadOnlySpan<int> sentence, float learningRate)
    {
        int length = 0;
        foreach (int id in sentence)
            if (_subsampler.Keep(id, _random.NextFloat())) _kept[length++] = id;
        ReadOnlySpan<int> kept = _kept.AsSpan(0, length);
        for (int position = 0; position < kept.Length; position++)
        {
            // word2vec.c's dynamic window: a uniformly shrunk radius weights near words more.
            int shrink = _random.NextInt(_options.Window);
            int contextCount = GatherContext(kept, position, _options.Window - shrink);
            if (contextCount == 0) continue;
            ReadOnlySpan<int> context = _context.AsSpan(0, contextCount);
            int word = kept[position];
            if (_options.Architecture == Word2VecArchitecture.Cbow) TrainCbow(word, context, learningRate);
            else if (_options.SharedNegatives) TrainSkipGramShared(word, context, learningRate);
            else TrainSkipGram(word, context, learningRate);
        }
    }

    private int GatherContext(ReadOnlySpan<int> kept, int position, int radius)
    {
        int count = 0;
        int from = Math.Max(0, position - radius), to = Math.Min(kept.Length - 1, position + radius);
        for (int c = from; c <= to; c++)
            if (c != position) _context[count++] = kept[c];
        return count;
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
        int outputs = DrawNegatives(word, allowSkip: false);
        NativeMatrix input = _weights.Input, output = _weights.NegativeOutput!;
        LossSum += BatchedSgnsKernel.Update(input.Data, input.Stride, context, output.Data, output.Stride,
            _targets.AsSpan(0, outputs), _dimension, learningRate, _batchScratch, _options.ExactSigmoid);
        Predictions += context.Length * outputs;
    }

    /// <summary>One prediction of <paramref name="word"/> from <paramref name="hidden"/>; gradients land in _hiddenGrad.</summary>
    private void PredictWord(ReadOnlySpan<float> hidden, int word, float learningRate)
    {
        if (_tree != null)
        {
            NativeMatrix nodes = _weights.TreeOutput!;
            ReadOnlySpan<int> points = _tree.Points(word);
            ReadOnlySpan<byte> codes = _tree.Codes(word);
            for (int d = 0; d < codes.Length; d++) _labels[d] = 1 - codes[d];
            LossSum += LogisticUpdateKernel.Update(hidden, nodes.Data, nodes.Stride, points,
                _labels.AsSpan(0, codes.Length), learningRate, _hiddenGrad, _options.ExactSigmoid);
            Predictions += codes.Length;
        }
        if (_noise != null)
        {
            NativeMatrix output = _weights.NegativeOutput!;
            int count = DrawNegatives(word, allowSkip: true);
            LossSum += LogisticUpdateKernel.Update(hidden, output.Data, output.Stride, _targets.AsSpan(0, count),
                _negativeLabels.AsSpan(0, count), learningRate, _hiddenGrad, _options.ExactSigmoid);
            Predictions += count;
        }
    }

    /// <summary>
    /// Fills _targets with the true word then its negatives; returns the count. A draw equal to the true word is
    /// dropped like word2vec.c does (<paramref name="allowSkip"/>), or redrawn where the batch needs a full set.
    /// </summary>
    private int DrawNegatives(int word, bool allowSkip)
    {
        NoiseSampler noise = _noise!;
        _targets[0] = word;
        int count = 1;
        for (int d = 0; d < _options.Negative; d++)
        {
            int target = noise.Sample(_random.NextULong());
            for (int retry = 0; target == word && !allowSkip && retry < 8; retry++)
                target = noise.Sample(_random.NextULong());
            if (target != word) _targets[count++] = target;
        }
        return count;
    }
}
