using EmbedEngine.Models.Sentence;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Autograd;

namespace EmbedEngine.Models.Contextual.Elmo;

/// <summary>
/// A sentence as the mean over its words of a bidirectional language model's contextual vectors (one layer, or the
/// mean of all layers when the constructor's <c>layer</c> is null); words are split at whitespace, as the model was
/// trained. A sentence without words gives the zero vector.
/// </summary>
public sealed class BiLmSentenceEncoder : ISentenceEncoder
{
    private readonly BidirectionalLanguageModel _model;
    private readonly int? _layer;

    /// <summary>An encoder over <paramref name="model"/> (set to evaluation mode).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The model has no such layer.</exception>
    public BiLmSentenceEncoder(BidirectionalLanguageModel model, int? layer = null)
    {
        _model = model;
        if (layer is < 0 || layer > model.Config.Layers) throw new ArgumentOutOfRangeException(nameof(layer), $"The model has layers 0 … {model.Config.Layers}, not {layer}.");
        _layer = layer;
        model.Eval();
    }

    /// <inheritdoc/>
    public int Dimension => 2 * _model.Config.Dimension;

    /// <inheritdoc/>
    public void Encode(string sentence, Span<float> vector)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(vector.Length, Dimension);
        vector.Clear();
        string[] words = WordText.Split(sentence);
        if (words.Length == 0) return;
        try
        {
            using (Graph.NoGrad())
            {
                Tensor[] layers = _model.LayerVectors(words);
                int first = _layer ?? 0, last = _layer ?? layers.Length - 1, width = Dimension;
                for (int l = first; l <= last; l++)
                {
                    ReadOnlySpan<float> rows = layers[l].AsSpan();
                    for (int w = 0; w < words.Length; w++) Kernels.AxpyKernel.Axpy(1f, rows.Slice(w * width, width), vector);
                }
                Kernels.ScaleKernel.Scale(1f / (words.Length * (last - first + 1)), vector);
            }
        }
        finally
        {
            Graph.Current.Release();
        }
    }
}
