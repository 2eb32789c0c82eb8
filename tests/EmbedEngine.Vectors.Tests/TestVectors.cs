using EmbedEngine.Kernels;

namespace EmbedEngine.Vectors.Tests;

/// <summary>Builds small <see cref="KeyedVectors"/> from literal rows.</summary>
internal static class TestVectors
{
    public static KeyedVectors Create(params (string Word, float[] Vector)[] rows) => KeyedVectors.FromRows(rows);

    /// <summary>Seeded random vectors with words that exercise UTF-8 (accents, CJK, emoji) and mixed magnitudes.</summary>
    public static KeyedVectors Random(int count, int dimension, int seed = 7)
    {
        var random = new Random(seed);
        string[] specials = ["café", "日本語", "naïve", "🙂", "</s>", "a-b_c.d"];
        var matrix = NativeMatrix.Allocate(count, dimension);
        var words = new string[count];
        for (int i = 0; i < count; i++)
        {
            words[i] = i < specials.Length ? specials[i] : $"w{i}";
            Span<float> row = matrix.Row(i);
            for (int j = 0; j < dimension; j++)
            {
                double magnitude = Math.Pow(10, random.Next(-4, 3));
                row[j] = (float)((random.NextDouble() * 2 - 1) * magnitude);
            }
        }
        return new KeyedVectors(words, matrix);
    }

    public static float[][] Rows(KeyedVectors vectors) =>
        [.. Enumerable.Range(0, vectors.Count).Select(i => vectors.Vector(i).ToArray())];
}
