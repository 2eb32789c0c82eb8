using EmbedEngine.Kernels;
using EmbedEngine.Models.FastText;

namespace EmbedEngine.Models.Sentence;

/// <summary>
/// fastText's sentence vectors of an unsupervised (skip-gram or CBOW) model, as its print-sentence-vectors computes
/// them: the whitespace-separated words' vectors (from their subwords, so unseen words count too) each scaled to unit
/// length, then averaged; a word whose vector is zero is left out, and a sentence of none is the zero vector.
/// </summary>
public sealed class FastTextSentenceEncoder : ISentenceEncoder
{
    private readonly FastTextModel _model;

    /// <summary>An encoder over <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">The model is a supervised classifier, whose sentence vector fastText computes otherwise.</exception>
    public FastTextSentenceEncoder(FastTextModel model)
    {
        if (model.Args.Model == FastTextModelKind.Supervised)
            throw new ArgumentException("fastText's sentence vectors of a supervised model average its input rows and word n-grams; this encoder takes skip-gram and CBOW models.");
        _model = model;
    }

    /// <inheritdoc/>
    public bool IsThreadSafe => true;

    /// <inheritdoc/>
    public int Dimension => _model.Dimension;

    /// <inheritdoc/>
    public void Encode(string sentence, Span<float> vector)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(vector.Length, Dimension);
        vector.Clear();
        float[] word = new float[Dimension];
        int count = 0;
        foreach (string token in sentence.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            _model.WordVector(token, word);
            // As fastText: the norm summed in float, scaled by a float reciprocal of it.
            float sum = 0;
            foreach (float v in word) sum += v * v;
            float norm = MathF.Sqrt(sum);
            if (norm <= 0) continue;
            ScaleKernel.Scale((float)(1.0 / norm), word);
            AxpyKernel.Axpy(1f, word, vector);
            count++;
        }
        if (count > 0) ScaleKernel.Scale((float)(1.0 / count), vector);
    }
}
