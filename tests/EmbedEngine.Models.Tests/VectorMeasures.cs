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

    /// <summary>
    /// Asserts that <see cref="TopicCorpus"/>'s words are closer within their topic than across by a clear margin
    /// (mean cosines 0.3 apart).
    /// </summary>
    public static void AssertTopicsSeparate(KeyedVectors vectors)
    {
        double within = (MeanSimilarity(vectors, TopicCorpus.Topic('a'), TopicCorpus.Topic('a'))
                       + MeanSimilarity(vectors, TopicCorpus.Topic('b'), TopicCorpus.Topic('b'))) / 2;
        double across = MeanSimilarity(vectors, TopicCorpus.Topic('a'), TopicCorpus.Topic('b'));
        Assert.True(within > across + 0.3, $"within-topic {within:F3}, across-topic {across:F3}");
    }

    /// <summary>Writes <paramref name="vectors"/> as <paramref name="format"/> and reads them back (as the CPU does any file).</summary>
    public static KeyedVectors SavedAndLoaded(KeyedVectors vectors, VectorFormat format)
    {
        string path = Path.Combine(Path.GetTempPath(), $"embed-vectors-{Guid.NewGuid():N}");
        try
        {
            VectorFile.Save(vectors, path, format);
            return VectorFile.Load(path, format);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
