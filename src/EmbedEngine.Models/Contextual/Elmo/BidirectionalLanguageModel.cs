using System.Globalization;
using System.Text;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Modules;
using EmbedEngine.Text;

namespace EmbedEngine.Models.Contextual.Elmo;

/// <summary>
/// An ELMo-like bidirectional language model. Each word's token vector is the mean of its own row (for words in
/// the vocabulary) and the rows of its character n-grams, hashed as fastText hashes them, so any word, seen or not,
/// has a vector; ELMo builds it with a character CNN and highway layers instead, which would need convolution and
/// max-pooling ops the engine does not have, where the n-gram bag runs on the existing hashing and one bag-mean op.
/// A forward and a backward stack of LSTM layers (with more cells than the dimension, each projects its state down
/// to it, as ELMo's LSTMP layers do) read the token vectors (the backward one from the end), with a
/// residual connection around every layer after the first, and share one softmax over the vocabulary: the forward
/// stack predicts the next word, the backward one the previous. A word's contextual vectors are, per layer, its
/// forward and backward states side by side; layer 0 is its token vector twice.
/// </summary>
public sealed class BidirectionalLanguageModel : Module
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int[]> _rows = new(StringComparer.Ordinal);
    private readonly CharacterNgrams _ngrams;
    private readonly Lstm[] _forward, _backward;
    private readonly Dropout? _dropout;
    private readonly List<int> _scratch = [];

    /// <summary>A freshly initialized model; <paramref name="seed"/> fixes every initial weight and the dropout masks.</summary>
    /// <exception cref="ArgumentException">The configuration is invalid or repeats a word.</exception>
    public BidirectionalLanguageModel(BiLmConfig config, int seed)
    {
        config.Validate();
        Config = config;
        for (int id = 0; id < config.Words.Count; id++)
            if (!_ids.TryAdd(config.Words[id], id)) throw new ArgumentException($"The word '{config.Words[id]}' is in the vocabulary twice.");
        _ngrams = new CharacterNgrams(config.MinN, config.MaxN, config.Buckets);
        var random = new Random(seed);
        int d = config.Dimension;
        TokenTable = Parameter("token_encoder.weight", Initialization.Uniform(1f / MathF.Sqrt(d), random, config.Words.Count + config.Buckets, d));
        _forward = new Lstm[config.Layers];
        _backward = new Lstm[config.Layers];
        for (int l = 0; l < config.Layers; l++)
        {
            string layer = l.ToString(CultureInfo.InvariantCulture);
            int projection = config.Cells > d ? d : 0;
            _forward[l] = Child("forward.l" + layer, new Lstm(d, config.Cells, 1, random, projection: projection));
            _backward[l] = Child("backward.l" + layer, new Lstm(d, config.Cells, 1, random, projection: projection));
        }
        Softmax = Child("softmax", new Linear(d, config.Words.Count, random));
        if (config.Dropout > 0f) _dropout = Child("dropout", new Dropout(config.Dropout, unchecked((uint)seed * 5u + 3u) << 12));
    }

    /// <summary>The shape and vocabulary.</summary>
    public BiLmConfig Config { get; }

    /// <summary>Rows of the vocabulary's words, then of the n-gram buckets [words + buckets, D].</summary>
    public Tensor TokenTable { get; }

    /// <summary>The shared output layer: a top state to the scores of the vocabulary.</summary>
    public Linear Softmax { get; }

    /// <summary>The softmax target of <paramref name="word"/>: its id, or 0 (<see cref="BiLmConfig.Unknown"/>) outside the vocabulary.</summary>
    public int TargetOf(string word) => _ids.TryGetValue(word, out int id) ? id : 0;

    /// <summary>The token-table rows whose mean is <paramref name="word"/>'s token vector (cached per word).</summary>
    public int[] RowsOf(string word)
    {
        if (_rows.TryGetValue(word, out int[]? rows)) return rows;
        _scratch.Clear();
        if (_ids.TryGetValue(word, out int id)) _scratch.Add(id);
        int first = _scratch.Count;
        _ngrams.AppendBuckets(Encoding.UTF8.GetBytes(word), _scratch);
        for (int i = first; i < _scratch.Count; i++) _scratch[i] += Config.Words.Count;
        rows = [.. _scratch];
        _rows[word] = rows;
        return rows;
    }

    /// <summary>
    /// Token vectors [T, B, D] (time-major) of <paramref name="words"/>, given window after window
    /// (<paramref name="batch"/> windows of <paramref name="length"/> words).
    /// </summary>
    public Tensor TokenVectors(IReadOnlyList<string> words, int batch, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(words.Count, batch * length);
        // Bags in time-major order; each word's rows are looked up once.
        var bags = new int[batch * length][];
        var offsets = new int[bags.Length + 1];
        for (int t = 0, bag = 0; t < length; t++)
            for (int b = 0; b < batch; b++, bag++)
            {
                bags[bag] = RowsOf(words[b * length + t]);
                offsets[bag + 1] = offsets[bag] + bags[bag].Length;
            }
        var indices = new int[offsets[^1]];
        for (int bag = 0; bag < bags.Length; bag++) bags[bag].CopyTo(indices, offsets[bag]);
        return Ops.EmbeddingBagMean(TokenTable, indices, offsets).Reshape(length, batch, Config.Dimension);
    }

    /// <summary>Every layer's states [T, B, D] of one direction over token vectors [T, B, D] already in its reading order.</summary>
    private Tensor[] Run(Lstm[] stack, Tensor tokens)
    {
        var states = new Tensor[stack.Length];
        Tensor x = tokens;
        for (int l = 0; l < stack.Length; l++)
        {
            Tensor h = stack[l].Forward(l == 0 ? x : Drop(x));
            x = states[l] = l == 0 ? h : Ops.Add(h, x);
        }
        return states;
    }

    /// <summary>
    /// The mean cross-entropy of each direction over <paramref name="batch"/> windows of <paramref name="span"/>
    /// words (<paramref name="words"/>, window after window): the forward stack reads words 0 … span − 2 and predicts
    /// 1 … span − 1, the backward stack reads words span − 1 … 1 and predicts span − 2 … 0.
    /// </summary>
    public (Tensor Forward, Tensor Backward) Loss(IReadOnlyList<string> words, int batch, int span)
    {
        if (span < 2) throw new ArgumentException($"A window needs at least 2 words to predict one; got {span}.");
        int steps = span - 1;
        Tensor tokens = Drop(TokenVectors(words, batch, span));
        Tensor forwardTop = Run(_forward, tokens.Slice(0, 0, steps))[^1];
        Tensor backwardTop = Run(_backward, Ops.ReverseSteps(tokens.Slice(0, 1, steps)))[^1];
        var forwardTargets = new int[steps * batch];
        var backwardTargets = new int[steps * batch];
        for (int s = 0; s < steps; s++)
            for (int b = 0; b < batch; b++)
            {
                forwardTargets[s * batch + b] = TargetOf(words[b * span + s + 1]);
                backwardTargets[s * batch + b] = TargetOf(words[b * span + steps - 1 - s]);
            }
        Tensor forwardLoss = Ops.CrossEntropy(Softmax.Forward(Drop(forwardTop)).Reshape(-1, Config.Words.Count), forwardTargets);
        Tensor backwardLoss = Ops.CrossEntropy(Softmax.Forward(Drop(backwardTop)).Reshape(-1, Config.Words.Count), backwardTargets);
        return (forwardLoss, backwardLoss);
    }

    /// <summary>
    /// The contextual vectors [words, 2D] of one sentence at every layer (0: token vectors, 1 … Layers: the LSTM
    /// layers), forward state then backward state; call under <see cref="Tensors.Autograd.Graph.NoGrad"/> and copy out
    /// before the graph is released.
    /// </summary>
    /// <exception cref="ArgumentException">The sentence has no words.</exception>
    public Tensor[] LayerVectors(IReadOnlyList<string> sentence)
    {
        if (sentence.Count == 0) throw new ArgumentException("The sentence is empty: it has no words.");
        int length = sentence.Count, d = Config.Dimension;
        Tensor tokens = TokenVectors(sentence, 1, length);
        Tensor[] forward = Run(_forward, tokens), backward = Run(_backward, Ops.ReverseSteps(tokens));
        var layers = new Tensor[Config.Layers + 1];
        layers[0] = Ops.ConcatLast(tokens, tokens).Reshape(length, 2 * d);
        for (int l = 0; l < Config.Layers; l++) layers[l + 1] = Ops.ConcatLast(forward[l], Ops.ReverseSteps(backward[l])).Reshape(length, 2 * d);
        return layers;
    }

    /// <summary>A language model takes words: call <see cref="Loss"/> or <see cref="LayerVectors"/>.</summary>
    public override Tensor Forward(Tensor input) =>
        throw new NotSupportedException("A bidirectional language model takes words: call Loss or LayerVectors.");

    private Tensor Drop(Tensor x) => _dropout != null ? _dropout.Forward(x) : x;
}
