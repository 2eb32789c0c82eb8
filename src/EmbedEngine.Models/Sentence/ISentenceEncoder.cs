namespace EmbedEngine.Models.Sentence;

/// <summary>
/// Anything that turns a sentence into one vector: pooled static word vectors, a contextual model's pooled layers, a
/// trained sentence encoder. A sentence with no word the model can read gets the zero vector.
/// </summary>
public interface ISentenceEncoder
{
    /// <summary>Floats per sentence vector.</summary>
    int Dimension { get; }

    /// <summary>Writes the vector of <paramref name="sentence"/> into <paramref name="vector"/> (<see cref="Dimension"/> floats).</summary>
    void Encode(string sentence, Span<float> vector);

    /// <summary>Whether <see cref="Encode"/> may run on several threads at once (no scratch state shared between calls).</summary>
    bool IsThreadSafe => false;

    /// <summary>
    /// Writes the vectors of <paramref name="sentences"/> into consecutive rows of <paramref name="vectors"/>, equal to
    /// <see cref="Encode"/>'s up to rounding; a model runs them through its kernels in batches.
    /// </summary>
    void EncodeBatch(IReadOnlyList<string> sentences, Span<float> vectors)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(vectors.Length, sentences.Count * Dimension);
        for (int i = 0; i < sentences.Count; i++) Encode(sentences[i], vectors.Slice(i * Dimension, Dimension));
    }
}
