using EmbedEngine.Vectors;

namespace EmbedEngine.Models.Tests;

/// <summary>What the trainer tests measure on a trained model.</summary>
internal static class VectorMeasures
{
    /// <summary>Mean cosine over all pairs of distinct words, one from each list.</summary>
    public static double MeanSimilarity(KeyedVectors vectors, IEnumerable<string> left, IEnumerable<string> right)
    {
        double sum = 0;
        int count = 0;
        foreach (string a in left)
            foreach (string b in right)
                if (a != b)
                {
                    sum += vectors.Similarity(a, b);
                    count++;
                }
        return sum / count;
    }

    /// <summary>Every value of the model, row after row; disposes the model.</summary>
    public static float[] Flatten(KeyedVectors vectors)
    {
        using (vectors)
        {
            var all = new List<float>();
            for (int i = 0; i < vectors.Count; i++) all.AddRange(vectors.Vector(i).ToArray());
            return [.. all];
        }
    }
}
