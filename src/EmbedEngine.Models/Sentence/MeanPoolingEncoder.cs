using EmbedEngine.Vectors;

namespace EmbedEngine.Models.Sentence;

/// <summary>
/// A sentence as the mean of its words' vectors (words the vectors lack are left out; none known gives the zero
/// vector), the words spelled as the comparison corpus spells them (<see cref="CorpusWords"/>).
/// </summary>
public sealed class MeanPoolingEncoder(KeyedVectors vectors) : ISentenceEncoder
{
    private readonly KeyedVectors _vectors = vectors ?? throw new ArgumentNullException(nameof(vectors));

    /// <inheritdoc/>
    public bool IsThreadSafe => true;

    /// <inheritdoc/>
    public int Dimension => _vectors.Dimension;

    /// <inheritdoc/>
    public void Encode(string sentence, Span<float> vector) => WordVectorMean.Of(_vectors, CorpusWords.Of(sentence), [], vector);
}
