using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Modules;
using EmbedEngine.Text.Tokenizers;

namespace EmbedEngine.Models.Contextual;

/// <summary>
/// A language model over token ids with its tokenizer: a transformer (<see cref="TransformerLanguageModel"/>) or
/// stacked LSTM layers (<see cref="LstmLanguageModel"/>). Training, evaluation, perplexity, generation and
/// checkpoints work on any of them through this class.
/// </summary>
public abstract class LanguageModel : Module
{
    /// <summary>Checks <paramref name="config"/> and that <paramref name="tokenizer"/> fits it.</summary>
    /// <exception cref="ArgumentException">The configuration is invalid or the tokenizer has a different vocabulary size.</exception>
    protected LanguageModel(ContextualConfig config, ITokenizer tokenizer)
    {
        config.Validate();
        if (tokenizer.VocabularySize != config.VocabularySize)
            throw new ArgumentException($"The tokenizer has {tokenizer.VocabularySize} ids; the configuration says {config.VocabularySize}.");
        Config = config;
        Tokenizer = tokenizer;
    }

    /// <summary>A freshly initialized model of <paramref name="config"/>'s kind; <paramref name="seed"/> fixes every initial weight and the dropout masks.</summary>
    /// <exception cref="ArgumentException">The configuration is invalid or the tokenizer has a different vocabulary size.</exception>
    public static LanguageModel Create(ContextualConfig config, ITokenizer tokenizer, int seed) => config.Kind == ContextualModelKind.Lstm
        ? new LstmLanguageModel(config, tokenizer, seed)
        : new TransformerLanguageModel(config, tokenizer, seed);

    /// <summary>The shape.</summary>
    public ContextualConfig Config { get; }

    /// <summary>Text to ids and back.</summary>
    public ITokenizer Tokenizer { get; }

    /// <summary>
    /// Scores [batch·length, table rows] for <paramref name="tokens"/> (batch·length ids, window after window): of the
    /// next token (causal models) or of the token at each position (BERT).
    /// </summary>
    public abstract Tensor Logits(int[] tokens, int batch, int length);

    /// <summary>Mean cross-entropy of <see cref="Logits"/> against <paramref name="targets"/> (one per position; <see cref="Kernels.Dense.CrossEntropyKernel.DefaultIgnoreIndex"/> leaves one out).</summary>
    public Tensor Loss(int[] tokens, int[] targets, int batch, int length) => Ops.CrossEntropy(Logits(tokens, batch, length), targets);

    /// <summary>A decoder that reads tokens one after another and scores the next (for <see cref="TextGenerator"/>); the model is set to evaluation mode.</summary>
    /// <exception cref="ArgumentException">The model is not causal (BERT-like).</exception>
    public abstract ITokenDecoder CreateDecoder();

    /// <summary>A language model takes token ids: call <see cref="Logits"/>.</summary>
    public override Tensor Forward(Tensor input) =>
        throw new NotSupportedException("A language model takes token ids: call Logits(tokens, batch, length).");
}
