using EmbedEngine.Kernels;
using EmbedEngine.Models.FastText;
using EmbedEngine.Models.FastText.Supervised;

namespace EmbedEngine.Models.Sentence;

/// <summary>
/// fastText's sentence vectors, as its print-sentence-vectors computes them. For a skip-gram or CBOW model: the
/// whitespace-separated words' vectors (from their subwords, so unseen words count too) each scaled to unit length,
/// then averaged, a word whose vector is zero left out. For a classifier: the mean of the input rows of the line's
/// words and n-grams (<see cref="ClassifierModel.SentenceVector"/>). A sentence of nothing is the zero vector.
/// </summary>
public sealed class FastTextSentenceEncoder : ISentenceEncoder
{
    private readonly FastTextModel _model;
    private readonly ClassifierModel? _classifier;

    /// <summary>An encoder over the skip-gram or CBOW <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">The model is a classifier: pass its <see cref="ClassifierModel"/>.</exception>
    public FastTextSentenceEncoder(FastTextModel model)
    {
        if (model.Args.Model == FastTextModelKind.Supervised)
            throw new ArgumentException("This is a classifier: encode with its ClassifierModel, whose sentence vector averages input rows and n-grams.");
        _model = model;
    }

    /// <summary>An encoder over the classifier <paramref name="classifier"/> (which the caller keeps and disposes).</summary>
    public FastTextSentenceEncoder(ClassifierModel classifier)
    {
        _model = classifier.FastText;
        _classifier = classifier;
    }

    /// <inheritdoc/>
    public bool IsThreadSafe => true;

    /// <inheritdoc/>
    public int Dimension => _model.Dimension;

    /// <inheritdoc/>
    public void Encode(string sentence, Span<float> vector)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(vector.Length, Dimension);
        if (_classifier != null)
        {
            _classifier.SentenceVector(sentence, vector);
            return;
        }
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
