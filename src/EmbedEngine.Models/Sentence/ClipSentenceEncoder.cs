using EmbedEngine.Models.Multimodal;

namespace EmbedEngine.Models.Sentence;

/// <summary>
/// A sentence as a CLIP-like model's text embedding (<see cref="ClipModel.EmbedTexts"/>: the text tower's
/// end-of-text state, projected and normalized), the vector zero-shot classification compares images with. A
/// sentence without a word of the caption vocabulary is the zero vector: the tower would give every such sentence
/// much the same embedding, which would count as encoded and score as similar.
/// </summary>
public sealed class ClipSentenceEncoder(ClipModel model) : ISentenceEncoder
{
    /// <inheritdoc/>
    public int Dimension => model.EmbeddingDimension;

    /// <inheritdoc/>
    public void Encode(string sentence, Span<float> vector) => EncodeBatch([sentence], vector);

    /// <summary>The sentences with a known word, embedded in the model's batches; the others stay zero.</summary>
    public void EncodeBatch(IReadOnlyList<string> sentences, Span<float> vectors)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        ArgumentOutOfRangeException.ThrowIfNotEqual(vectors.Length, sentences.Count * Dimension);
        vectors.Clear();
        int[] read = [.. Enumerable.Range(0, sentences.Count).Where(i => HasKnownWord(sentences[i]))];
        float[] embedded = model.EmbedTexts([.. read.Select(i => sentences[i])]);
        for (int r = 0; r < read.Length; r++)
            embedded.AsSpan(r * Dimension, Dimension).CopyTo(vectors.Slice(read[r] * Dimension, Dimension));
    }

    /// <summary>Whether the words the text tower reads (those within its context) include one of its vocabulary.</summary>
    private bool HasKnownWord(string sentence) =>
        model.Vocabulary.Encode(sentence, model.Config.TextContext).Any(id => id >= CaptionVocabulary.FirstWord);
}
