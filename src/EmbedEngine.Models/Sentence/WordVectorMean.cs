using EmbedEngine.Kernels;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.Sentence;

/// <summary>The mean of the vectors of the words the vectors have, each scaled by its weight; the others are left out.</summary>
internal static class WordVectorMean
{
    /// <summary>
    /// Writes into <paramref name="vector"/> the mean over the known <paramref name="words"/> of weight · vector, the
    /// weight of vocabulary row i being <paramref name="weights"/>[i] (1 when no weights are given); zeros when none is known.
    /// </summary>
    public static void Of(KeyedVectors vectors, IEnumerable<string> words, ReadOnlySpan<float> weights, Span<float> vector)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(vector.Length, vectors.Dimension);
        vector.Clear();
        int known = 0;
        foreach (string word in words)
        {
            int index = vectors.IndexOf(word);
            if (index < 0) continue;
            AxpyKernel.Axpy(weights.IsEmpty ? 1f : weights[index], vectors.Vector(index), vector);
            known++;
        }
        if (known > 1) ScaleKernel.Scale(1f / known, vector);
    }
}
