namespace EmbedEngine.Models.Sentence;

/// <summary>
/// A sentence as the paragraph vector a <see cref="Doc2VecModel"/> infers for its words (spelled as the comparison
/// corpus spells them, <see cref="CorpusWords"/>), each sentence from the same seed so equal sentences get equal vectors;
/// a sentence with no known word is the zero vector.
/// </summary>
public sealed class Doc2VecSentenceEncoder(Doc2VecModel model, int epochs = 0, ulong seed = 1) : ISentenceEncoder
{
    /// <inheritdoc/>
    public bool IsThreadSafe => true;

    /// <inheritdoc/>
    public int Dimension => model.Dimension;

    /// <inheritdoc/>
    public void Encode(string sentence, Span<float> vector)
    {
        if (model.Infer(CorpusWords.Of(sentence), vector, epochs, seed) == 0) vector.Clear();
    }
}
