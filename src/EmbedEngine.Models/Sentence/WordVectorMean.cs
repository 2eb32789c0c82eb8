using EmbedEngine.Kernels;
using EmbedEngine.Models.FastText;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.Sentence;

/// <summary>
/// The mean of the vectors of a sentence's words, each scaled by its weight. A word the vectors lack takes its
/// vector from a fastText model's character n-grams when one is given (with weight 1: a word below the vectors'
/// minimum count is as rare as SIF's weight can tell), and is left out otherwise.
/// </summary>
internal static class WordVectorMean
{
    /// <summary>
    /// Writes into <paramref name="vector"/> the mean over the <paramref name="words"/> that have a vector of
    /// weight · vector, the weight of vocabulary row i being <paramref name="weights"/>[i] (1 when no weights are
    /// given); zeros when none has one.
    /// </summary>
    public static void Of(KeyedVectors vectors, IEnumerable<string> words, ReadOnlySpan<float> weights, Span<float> vector, FastTextModel? subwords)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(vector.Length, vectors.Dimension);
        vector.Clear();
        Span<float> unseen = subwords != null ? new float[vectors.Dimension] : [];
        int known = 0;
        foreach (string word in words)
        {
            int index = vectors.IndexOf(word);
            if (index >= 0) AxpyKernel.Axpy(weights.IsEmpty ? 1f : weights[index], vectors.Vector(index), vector);
            else if (subwords != null && subwords.TryWordVector(word, unseen)) AxpyKernel.Axpy(1f, unseen, vector);
            else continue;
            known++;
        }
        if (known > 1) ScaleKernel.Scale(1f / known, vector);
    }
}
