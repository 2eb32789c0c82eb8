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
        _ids.Clear();
        if (_model.Config.Kind == ContextualModelKind.Bert) _ids.Add(_model.Config.ClassToken);
        _model.Tokenizer.Encode(sentence, _ids);
        if (_ids.Count == _model.LeadingSpecialTokens) return;
        int[] tokens = [.. _ids.Take(_model.Config.Context)];
        using Tensor states = _model.TokenVectors(tokens, _layers);
        ReadOnlySpan<float> rows = states.AsSpan();
        if (_pooling == TransformerPooling.Cls)
        {
            rows[..Dimension].CopyTo(vector);
            return;
        }
        for (int t = 0; t < tokens.Length; t++) AxpyKernel.Axpy(1f, rows.Slice(t * Dimension, Dimension), vector);
        ScaleKernel.Scale(1f / tokens.Length, vector);
    }
}
