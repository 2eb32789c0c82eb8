using EmbedEngine.Kernels;
using EmbedEngine.Models.Count;
using EmbedEngine.Models.FastText;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.Sentence;

/// <summary>
/// A sentence as the mean of its words' vectors weighted by their TF-IDF weights in the sentence (a fitted word
/// <see cref="TfIdfModel"/>: its weighting, sublinear counts and idf as it was fitted), words spelled as the comparison
/// corpus spells them (<see cref="CorpusWords"/>). A word without a vector takes one from a fastText model's
/// character n-grams when one is given; words outside the TF-IDF vocabulary, or without any vector, are left out;
/// a sentence with none is the zero vector.
/// </summary>
public sealed class TfIdfPoolingEncoder : ISentenceEncoder
{
    private readonly KeyedVectors _vectors;
    private readonly TfIdfModel _weights;
    private readonly FastTextModel? _subwords;
    private readonly IReadOnlyList<string> _terms;
    private readonly int[] _rowOfFeature;

    /// <summary>An encoder over <paramref name="vectors"/> (and <paramref name="subwords"/>' n-grams) weighted by <paramref name="weights"/>.</summary>
    /// <exception cref="ArgumentException">The TF-IDF model hashes its terms or counts n-grams, so its features are not words.</exception>
    public TfIdfPoolingEncoder(KeyedVectors vectors, TfIdfModel weights, FastTextModel? subwords = null)
    {
        if (weights.Vocabulary is not { } terms || weights.Options.Analyzer != TfIdfAnalyzer.Word || weights.Options.MinN != 1 || weights.Options.MaxN != 1)
            throw new ArgumentException("TF-IDF pooling needs a model of single words with a vocabulary (fitted with --analyzer word, n-grams 1 to 1, no hashing).");
        _vectors = vectors;
        _weights = weights;
        _subwords = subwords;
        _terms = terms;
        _rowOfFeature = [.. terms.Select(vectors.IndexOf)];
    }

    /// <inheritdoc/>
    public bool IsThreadSafe => true;

    /// <inheritdoc/>
    public int Dimension => _vectors.Dimension;

    /// <inheritdoc/>
    public void Encode(string sentence, Span<float> vector)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(vector.Length, Dimension);
        vector.Clear();
        CsrMatrix row = _weights.Transform(CorpusWords.Of(sentence));
        ReadOnlySpan<int> features = row.RowColumnIndices(0);
        ReadOnlySpan<float> values = row.RowValues(0);
        Span<float> unseen = _subwords != null ? new float[Dimension] : [];
        float total = 0;
        for (int i = 0; i < features.Length; i++)
        {
            int vectorRow = _rowOfFeature[features[i]];
            if (vectorRow >= 0) AxpyKernel.Axpy(values[i], _vectors.Vector(vectorRow), vector);
            else if (_subwords != null && _subwords.TryWordVector(_terms[features[i]], unseen)) AxpyKernel.Axpy(values[i], unseen, vector);
            else continue;
            total += values[i];
        }
        if (total > 0) ScaleKernel.Scale(1f / total, vector);
    }
}
