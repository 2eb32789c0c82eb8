using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Autograd;
using EmbedEngine.Tensors.Modules;
using EmbedEngine.Text.Tokenizers;

namespace EmbedEngine.Models.Contextual;

/// <summary>
/// A GPT-like causal language model (<see cref="TransformerStack"/> then scores against the token table, no bias)
/// or a BERT-like masked language model (the same stack without the causal mask, then a <see cref="MaskedLanguageHead"/>),
/// with its tokenizer. Parameters are named as GPT-2's ("transformer.wte.weight", "transformer.h.0…"), the BERT head "mlm_head.…".
/// </summary>
public sealed class TransformerLanguageModel : LanguageModel
{
    private readonly List<Tensor> _hiddenStates = [];

    /// <summary>A freshly initialized model; <paramref name="seed"/> fixes every initial weight and the dropout masks.</summary>
    /// <exception cref="ArgumentException">The configuration is invalid or the tokenizer has a different vocabulary size.</exception>
    public TransformerLanguageModel(ContextualConfig config, ITokenizer tokenizer, int seed) : base(config, tokenizer)
    {
        if (config.Kind == ContextualModelKind.Lstm) throw new ArgumentException("An LSTM configuration builds an LstmLanguageModel.");
        var random = new Random(seed);
        Stack = Child("transformer", new TransformerStack(config, random));
        if (config.Kind == ContextualModelKind.Bert)
            Head = Child("mlm_head", new MaskedLanguageHead(config.Dimension, config.TableRows, random));
    }

    /// <summary>Embeddings, blocks and the final norm.</summary>
    public TransformerStack Stack { get; }

    /// <summary>The masked-LM head of a BERT-like model; null for a GPT-like one.</summary>
    public MaskedLanguageHead? Head { get; }

    /// <inheritdoc/>
    public override Tensor Logits(int[] tokens, int batch, int length) =>
        Scores(Stack.FinalNorm.Forward(Stack.Forward(tokens, batch, length))).Reshape(-1, Config.TableRows);

    /// <inheritdoc/>
    public override ITokenDecoder CreateDecoder() => new TransformerDecoder(this);

    /// <summary>Scores of normed hidden states [..., D] → [..., table rows].</summary>
    internal Tensor Scores(Tensor normed) => Head != null ? Head.Forward(normed, Stack.TokenEmbedding.Table) : Ops.Linear(normed, Stack.TokenEmbedding.Table);

    /// <summary>
    /// Contextual vectors [tokens, D] of <paramref name="text"/> (a copy the caller owns) from the layers
    /// <paramref name="layers"/> picks. A BERT-like model reads the text after a [CLS] token, whose vector is row 0
    /// (see <see cref="LeadingSpecialTokens"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The text is empty, longer than the context, or not in the vocabulary.</exception>
    public Tensor TokenVectors(string text, LayerSelection layers) => TokenVectors(Encode(text), layers);

    /// <summary>
    /// Contextual vectors [tokens, D] (a copy the caller owns) of the ids <paramref name="tokens"/> (at most the context,
    /// a BERT-like model's [CLS] first, as <see cref="Encode"/> gives them).
    /// </summary>
    /// <exception cref="ArgumentException">There are no ids or more than the context.</exception>
    public Tensor TokenVectors(int[] tokens, LayerSelection layers)
    {
        if (tokens.Length == 0 || tokens.Length > Config.Context)
            throw new ArgumentException($"{tokens.Length} tokens: the model reads 1 to {Config.Context} at once.");
        layers.Check(Config.Layers);
        bool training = IsTraining;
        Eval();
        try
        {
            using (Graph.NoGrad())
            {
                _hiddenStates.Clear();
                Tensor last = Stack.Forward(tokens, 1, tokens.Length, hiddenStates: _hiddenStates);
                return layers.Combine(_hiddenStates, Stack.FinalNorm.Forward(last)).Reshape(tokens.Length, Config.Dimension).Clone();
            }
        }
        finally
        {
            _hiddenStates.Clear();
            Graph.Current.Release();
            if (training) Train();
        }
    }

    /// <summary>
    /// <see cref="TokenVectors(string, LayerSelection)"/> of several texts in one batch: shorter texts are padded
    /// and their padding masked out of attention, so each result matches the text's own up to rounding.
    /// </summary>
    /// <exception cref="ArgumentException">A text is empty, longer than the context, or not in the vocabulary.</exception>
    public IReadOnlyList<Tensor> TokenVectors(IReadOnlyList<string> texts, LayerSelection layers) =>
        TokenVectors(texts.Select(Encode).ToArray(), layers);

    /// <summary>
    /// <see cref="TokenVectors(int[], LayerSelection)"/> of several id sequences in one batch, padded to the longest
    /// with the padding masked out of attention.
    /// </summary>
    /// <exception cref="ArgumentException">A sequence has no ids or more than the context.</exception>
    public IReadOnlyList<Tensor> TokenVectors(IReadOnlyList<int[]> encoded, LayerSelection layers)
    {
        layers.Check(Config.Layers);
        if (encoded.Count == 0) return [];
        if (encoded.FirstOrDefault(e => e.Length == 0 || e.Length > Config.Context) is { } bad)
            throw new ArgumentException($"{bad.Length} tokens: the model reads 1 to {Config.Context} at once.");
        int[] lengths = encoded.Select(e => e.Length).ToArray();
        int length = lengths.Max(), dimension = Config.Dimension;
        var tokens = new int[encoded.Count * length];
        for (int b = 0; b < encoded.Count; b++) encoded[b].CopyTo(tokens, b * length);
        bool training = IsTraining;
        Eval();
        var vectors = new List<Tensor>(encoded.Count);
        try
        {
            using (Graph.NoGrad())
            {
                _hiddenStates.Clear();
                Tensor last = Stack.Forward(tokens, encoded.Count, length, lengths, _hiddenStates);
                Tensor selected = layers.Combine(_hiddenStates, Stack.FinalNorm.Forward(last));
                for (int b = 0; b < encoded.Count; b++)
                {
                    Tensor rows = Tensor.Zeros(lengths[b], dimension);
                    vectors.Add(rows);
                    selected.Slice(0, b, 1).Slice(1, 0, lengths[b]).CopyTo(rows.AsSpan());
                }
            }
            return vectors;
        }
        catch
        {
            foreach (Tensor vector in vectors) vector.Dispose();
            throw;
        }
        finally
        {
            _hiddenStates.Clear();
            Graph.Current.Release();
            if (training) Train();
        }
    }

    /// <summary>Rows before the text's own in <see cref="TokenVectors(string, LayerSelection)"/>: 1 ([CLS]) for BERT, 0 for GPT.</summary>
    public int LeadingSpecialTokens => Config.Kind == ContextualModelKind.Bert ? 1 : 0;

    /// <summary>The ids the model reads for <paramref name="text"/>: its tokens, after [CLS] for BERT.</summary>
    /// <exception cref="ArgumentException">The text is empty, longer than the context, or not in the vocabulary.</exception>
    public int[] Encode(string text)
    {
        var ids = new List<int>();
        if (Config.Kind == ContextualModelKind.Bert) ids.Add(Config.ClassToken);
        Tokenizer.Encode(text, ids);
        if (ids.Count == LeadingSpecialTokens) throw new ArgumentException("The text is empty: it has no tokens.");
        if (ids.Count > Config.Context)
            throw new ArgumentException($"The text is {ids.Count - LeadingSpecialTokens} tokens; the model's context holds {Config.Context - LeadingSpecialTokens}.");
        return ids.ToArray();
    }
}
