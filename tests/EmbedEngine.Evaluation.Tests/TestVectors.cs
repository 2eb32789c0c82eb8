using EmbedEngine.Kernels;
using EmbedEngine.Vectors;

namespace EmbedEngine.Evaluation.Tests;

internal static class TestVectors
{
    public static KeyedVectors Create(params (string Word, float[] Vector)[] rows) => KeyedVectors.FromRows(rows);

    /// <summary>A vector with 1 at each of <paramref name="axes"/> and 0 elsewhere.</summary>
    public static float[] Axes(int dimension, params int[] axes)
    {
        var vector = new float[dimension];
        foreach (int axis in axes) vector[axis] = 1;
        return vector;
    }

    public static KeyedVectors Random(int count, int dimension, int seed)
    {
        var random = new Random(seed);
        var matrix = NativeMatrix.Allocate(count, dimension);
        for (int i = 0; i < count; i++)
        {
            Span<float> row = matrix.Row(i);
            for (int j = 0; j < dimension; j++) row[j] = (float)(random.NextDouble() * 2 - 1);
        }
        return new KeyedVectors([.. Enumerable.Range(0, count).Select(i => $"w{i}")], matrix);
    }
}
