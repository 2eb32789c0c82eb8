namespace EmbedEngine.Models.Sentence;

/// <summary>Where the random numbers of a <see cref="Doc2VecSentenceEncoder"/>'s inference come from.</summary>
public enum Doc2VecInferenceRandom
{
    /// <summary>
    /// Every sentence from the encoder's seed: all sentences share their draws (start vector, subsampling, noise words),
    /// so equal sentences get equal vectors and two sentences of similar words are inferred under the same noise, their
    /// cosine varying less than under independent draws. This engine's default; on STS12 and SICK-R it scores 5-8
    /// points above gensim's way (docs/sentence.md).
    /// </summary>
    Shared,

    /// <summary>
    /// Each call from fresh draws, as gensim's infer_vector takes them (its stream of draws moves on with every call,
    /// and it seeds the start vector from the text's words): different sentences draw independently and a sentence
    /// encoded twice gets two vectors. The draws depend on the order of the calls, so the encoder is not thread-safe.
    /// </summary>
    Fresh,
}

/// <summary>
/// A sentence as the paragraph vector a <see cref="Doc2VecModel"/> infers for its words (spelled as the comparison
/// corpus spells them, <see cref="CorpusWords"/>), its random draws as <paramref name="random"/> says; a sentence with
/// no known word is the zero vector.
/// </summary>
public sealed class Doc2VecSentenceEncoder(Doc2VecModel model, int epochs = 0, ulong seed = 1, Doc2VecInferenceRandom random = Doc2VecInferenceRandom.Shared)
    : ISentenceEncoder
{
    private ulong _calls;

    /// <inheritdoc/>
    public bool IsThreadSafe => random == Doc2VecInferenceRandom.Shared;

    /// <inheritdoc/>
    public int Dimension => model.Dimension;

    /// <inheritdoc/>
    public void Encode(string sentence, Span<float> vector)
    {
        IReadOnlyList<string> words = CorpusWords.Of(sentence);
        ulong draws = random == Doc2VecInferenceRandom.Fresh ? Doc2VecModel.TextSeed(words, seed + 0x9E3779B97F4A7C15UL * ++_calls) : seed;
        if (model.Infer(words, vector, epochs, draws) == 0) vector.Clear();
    }
}
