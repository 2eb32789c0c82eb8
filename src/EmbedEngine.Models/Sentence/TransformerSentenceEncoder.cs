using EmbedEngine.Kernels;
using EmbedEngine.Models.Contextual;
using EmbedEngine.Tensors;

namespace EmbedEngine.Models.Sentence;

/// <summary>How a transformer's token vectors become one sentence vector.</summary>
public enum TransformerPooling
{
    /// <summary>The mean over the sentence's tokens ([CLS] included for a BERT-like model, as SentEval pools).</summary>
    Mean,

    /// <summary>The [CLS] token's vector (BERT-like models only).</summary>
    Cls,
}

/// <summary>
/// A sentence as the pooled contextual vectors of a GPT-like or BERT-like model (<see cref="LayerSelection"/> picks
/// the layers). A sentence longer than the model's context is cut to its first tokens; one without tokens is the
/// zero vector.
/// </summary>
public sealed class TransformerSentenceEncoder : ISentenceEncoder
{
    private readonly TransformerLanguageModel _model;
    private readonly LayerSelection _layers;
    private readonly TransformerPooling _pooling;
    private readonly List<int> _ids = [];

    /// <summary>An encoder over <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">[CLS] pooling of a GPT-like model, which has no [CLS] token.</exception>
    public TransformerSentenceEncoder(TransformerLanguageModel model, LayerSelection layers, TransformerPooling pooling = TransformerPooling.Mean)
    {
        if (pooling == TransformerPooling.Cls && model.Config.Kind != ContextualModelKind.Bert)
            throw new ArgumentException("[CLS] pooling needs a BERT-like model; a GPT-like model has no [CLS] token.");
        _model = model;
        _layers = layers;
        _pooling = pooling;
    }

    /// <inheritdoc/>
    public int Dimension => _model.Config.Dimension;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The sentence has a character the tokenizer cannot read.</exception>
    public void Encode(string sentence, Span<float> vector)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(vector.Length, Dimension);
        vector.Clear();
        int[] tokens = Tokens(sentence);
        if (tokens.Length == 0) return;
        using Tensor states = _model.TokenVectors(tokens, _layers);
        Pool(states.AsSpan(), tokens.Length, vector);
    }

    /// <summary>
    /// The sentences sorted by length and run <see cref="BatchSize"/> at a time, padded within each batch (padding is
    /// masked out of attention), so every GEMM is a batch's rows tall rather than one sentence's.
    /// </summary>
    /// <exception cref="ArgumentException">A sentence has a character the tokenizer cannot read.</exception>
    public void EncodeBatch(IReadOnlyList<string> sentences, Span<float> vectors)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(vectors.Length, sentences.Count * Dimension);
        vectors.Clear();
        int[][] tokens = [.. sentences.Select(Tokens)];
        int[] order = [.. Enumerable.Range(0, tokens.Length).Where(i => tokens[i].Length > 0).OrderBy(i => tokens[i].Length)];
        for (int start = 0; start < order.Length; start += BatchSize)
        {
            int[] batch = order[start..Math.Min(order.Length, start + BatchSize)];
            IReadOnlyList<Tensor> states = _model.TokenVectors([.. batch.Select(i => tokens[i])], _layers);
            for (int b = 0; b < batch.Length; b++)
                using (states[b])
                    Pool(states[b].AsSpan(), tokens[batch[b]].Length, vectors.Slice(batch[b] * Dimension, Dimension));
        }
    }

    /// <summary>Sentences per forward pass of <see cref="EncodeBatch"/>.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>The ids the model reads ([CLS] first for BERT), cut to the context; none when the sentence has no token.</summary>
    private int[] Tokens(string sentence)
    {
        _ids.Clear();
        if (_model.Config.Kind == ContextualModelKind.Bert) _ids.Add(_model.Config.ClassToken);
        _model.Tokenizer.Encode(sentence, _ids);
        return _ids.Count == _model.LeadingSpecialTokens ? [] : [.. _ids.Take(_model.Config.Context)];
    }

    /// <summary>[CLS]'s row, or the mean of the <paramref name="tokens"/> rows.</summary>
    private void Pool(ReadOnlySpan<float> rows, int tokens, Span<float> vector)
    {
        if (_pooling == TransformerPooling.Cls)
        {
            rows[..Dimension].CopyTo(vector);
            return;
        }
        for (int t = 0; t < tokens; t++) AxpyKernel.Axpy(1f, rows.Slice(t * Dimension, Dimension), vector);
        ScaleKernel.Scale(1f / tokens, vector);
    }
}
