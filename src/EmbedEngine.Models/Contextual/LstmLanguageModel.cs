using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Modules;
using EmbedEngine.Text.Tokenizers;

namespace EmbedEngine.Models.Contextual;

/// <summary>
/// A char-rnn-style language model: token vectors, stacked LSTM layers of the same width and a linear layer to the
/// scores of the next token. Parameters are named as PyTorch's word_language_model names its modules
/// ("encoder.weight", "rnn.weight_ih_l0", "rnn.bias_hh_l0"…, "decoder.weight", "decoder.bias"); every one starts as
/// PyTorch initializes it, except the token vectors, uniform in ±1/√D (the scale of a one-hot input, where
/// nn.Embedding draws N(0, 1)).
/// </summary>
public sealed class LstmLanguageModel : LanguageModel
{
    private readonly Dropout? _dropout;
    private int[] _timeMajor = [];

    /// <summary>A freshly initialized model; <paramref name="seed"/> fixes every initial weight and the dropout masks.</summary>
    /// <exception cref="ArgumentException">The configuration is invalid or not an LSTM's, or the tokenizer has a different vocabulary size.</exception>
    public LstmLanguageModel(ContextualConfig config, ITokenizer tokenizer, int seed) : base(config, tokenizer)
    {
        if (config.Kind != ContextualModelKind.Lstm) throw new ArgumentException($"An LstmLanguageModel needs an LSTM configuration, not {config.Kind}.");
        var random = new Random(seed);
        TokenVectors = Child("encoder", new Embedding(config.VocabularySize, config.Dimension, random));
        Recurrent = Child("rnn", new Lstm(config.Dimension, config.Dimension, config.Layers, random, config.Dropout, dropoutSeed: unchecked((uint)seed * 3u + 1u)));
        Decoder = Child("decoder", new Linear(config.Dimension, config.VocabularySize, random));
        if (config.Dropout > 0f) _dropout = Child("dropout", new Dropout(config.Dropout, unchecked((uint)seed * 3u + 2u) << 16));
    }

    /// <summary>The token vectors [vocabulary, D].</summary>
    public Embedding TokenVectors { get; }

    /// <summary>The LSTM layers.</summary>
    public Lstm Recurrent { get; }

    /// <summary>The last layer's hidden state to the scores of the next token.</summary>
    public Linear Decoder { get; }

    /// <summary>Every window starts from zero states.</summary>
    public override Tensor Logits(int[] tokens, int batch, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(tokens.Length, batch * length);
        if (_timeMajor.Length != tokens.Length) _timeMajor = new int[tokens.Length];
        // The layers run time-major; the scores come back window after window, as the targets are laid out.
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < length; t++) _timeMajor[t * batch + b] = tokens[b * length + t];
        Tensor x = Drop(TokenVectors.Forward(_timeMajor).Reshape(length, batch, Config.Dimension));
        Tensor hidden = Recurrent.Forward(x).Transpose(0, 1).Contiguous();
        return Decoder.Forward(Drop(hidden)).Reshape(-1, Config.VocabularySize);
    }

    /// <summary>
    /// Reads <paramref name="tokens"/> (one sequence) after the states in <paramref name="state"/>, which then hold
    /// the last token's; returns the scores [1, vocabulary] of the token after them.
    /// </summary>
    public Tensor NextScores(int[] tokens, LstmState state)
    {
        Tensor x = Drop(TokenVectors.Forward(tokens).Reshape(tokens.Length, 1, Config.Dimension));
        Tensor last = Recurrent.Forward(x, state).Slice(0, tokens.Length - 1, 1).Reshape(1, Config.Dimension);
        return Decoder.Forward(Drop(last));
    }

    /// <inheritdoc/>
    public override ITokenDecoder CreateDecoder() => new LstmDecoder(this);

    private Tensor Drop(Tensor x) => _dropout != null ? _dropout.Forward(x) : x;
}
