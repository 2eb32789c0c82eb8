using EmbedEngine.Models.FastText;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.Sentence;

/// <summary>
/// A sentence as the mean of its words' vectors, the words spelled as the comparison corpus spells them
/// (<see cref="CorpusWords"/>). A word the vectors lack takes its vector from <paramref name="subwords"/>' character
/// n-grams when a fastText model is given, and is left out otherwise; none known gives the zero vector.
/// </summary>
public sealed class MeanPoolingEncoder(KeyedVectors vectors, FastTextModel? subwords = null) : ISentenceEncoder
{
    private readonly KeyedVectors _vectors = vectors ?? throw new ArgumentNullException(nameof(vectors));

    /// <inheritdoc/>
    public bool IsThreadSafe => true;

    /// <inheritdoc/>
    public int Dimension => _vectors.Dimension;

    /// <inheritdoc/>
    public void Encode(string sentence, Span<float> vector) => WordVectorMean.Of(_vectors, CorpusWords.Of(sentence), [], vector, subwords);
}
