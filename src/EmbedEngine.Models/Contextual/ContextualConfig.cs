using EmbedEngine.Kernels.Dense.Attention;

namespace EmbedEngine.Models.Contextual;

/// <summary>
/// The shape of a GPT-like, BERT-like or LSTM language model; saved beside its parameters as model.json. Defaults
/// are nanoGPT's CPU recipe for Tiny Shakespeare (4 layers, 4 heads, dimension 128, context 64, no dropout). An LSTM
/// model has no heads, its dimension is both the token vectors' and the layers' width, and its context is the
/// length of the windows it trains and is evaluated on (it reads any length).
/// </summary>
public sealed record ContextualConfig
{
    /// <summary>The largest size of any dimension, layer count or context: far above anything trainable here, low enough that products of sizes stay in range.</summary>
    public const int MaxSize = 1 << 16;

    /// <summary>
    /// The defaults of a character-level LSTM model: 2 layers of 256 trained on windows of 128 characters (the
    /// shape issue 14 compares with PyTorch; char-rnn's are 2 × 128 on windows of 50).
    /// </summary>
    public static ContextualConfig CharacterLstm { get; } = new() { Kind = ContextualModelKind.Lstm, Layers = 2, Dimension = 256, Context = 128 };

    /// <summary>GPT-like, BERT-like or LSTM.</summary>
    public ContextualModelKind Kind { get; init; } = ContextualModelKind.Gpt;

    /// <summary>Token ids the tokenizer produces; a BERT-like model adds <see cref="SpecialTokens"/> after them.</summary>
    public int VocabularySize { get; init; }

    /// <summary>Transformer blocks or LSTM layers.</summary>
    public int Layers { get; init; } = 4;

    /// <summary>Attention heads per block; they divide <see cref="Dimension"/>. Not used by an LSTM model.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Width of the hidden states.</summary>
    public int Dimension { get; init; } = 128;

    /// <summary>The longest sequence the model sees (rows of the position table).</summary>
    public int Context { get; init; } = 64;

    /// <summary>Dropout while training: on the embeddings and after each attention and MLP, or on the token vectors, between LSTM layers and on the last layer's output.</summary>
    public float Dropout { get; init; }

    /// <summary>How to rebuild the tokenizer.</summary>
    public TokenizerDescription Tokenizer { get; init; } = TokenizerDescription.Characters([]);

    /// <summary>Whether the model predicts the next token (GPT-like, LSTM) rather than masked ones (BERT-like).</summary>
    public bool IsCausal => Kind != ContextualModelKind.Bert;

    /// <summary>[MASK] and [CLS] for a BERT-like model, none for the others.</summary>
    public int SpecialTokens => Kind == ContextualModelKind.Bert ? 2 : 0;

    /// <summary>Rows of the token table: the tokenizer's ids, then the special tokens.</summary>
    public int TableRows => VocabularySize + SpecialTokens;

    /// <summary>The [MASK] id of a BERT-like model.</summary>
    public int MaskToken => Kind == ContextualModelKind.Bert ? VocabularySize : throw new InvalidOperationException("Only a BERT-like model has a [MASK] token.");

    /// <summary>The [CLS] id of a BERT-like model, the first token of every window.</summary>
    public int ClassToken => Kind == ContextualModelKind.Bert ? VocabularySize + 1 : throw new InvalidOperationException("Only a BERT-like model has a [CLS] token.");

    /// <summary>Checks the sizes.</summary>
    /// <exception cref="ArgumentException">A size is out of range, or the heads do not divide the dimension.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind)) throw new ArgumentException($"Unknown model kind {Kind}.");
        Check(VocabularySize, "The vocabulary size");
        Check(Layers, "The number of layers");
        Check(Dimension, "The dimension");
        Check(Context, "The context");
        if (Kind != ContextualModelKind.Lstm)
        {
            Check(Heads, "The number of heads");
            if (Dimension % Heads != 0) throw new ArgumentException($"{Heads} heads do not divide the dimension {Dimension}.");
            if (Dimension / Heads > AttentionShape.MaxHeadDim)
                throw new ArgumentException($"A head of {Dimension / Heads} dimensions is wider than the attention kernel's {AttentionShape.MaxHeadDim}.");
        }
        if (Kind == ContextualModelKind.Bert && Context < 2) throw new ArgumentException("A BERT-like model needs a context of at least 2 ([CLS] and one token).");
        if (Dropout is < 0f or >= 1f || float.IsNaN(Dropout)) throw new ArgumentException($"Dropout must be in [0, 1); got {Dropout}.");
        ArgumentNullException.ThrowIfNull(Tokenizer);
    }

    private static void Check(int value, string what)
    {
        if (value <= 0 || value > MaxSize) throw new ArgumentException($"{what} must be between 1 and {MaxSize}; got {value}.");
    }
}
