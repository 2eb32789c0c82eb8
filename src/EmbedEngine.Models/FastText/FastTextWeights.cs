using EmbedEngine.Kernels;
using EmbedEngine.Models.Training;

namespace EmbedEngine.Models.FastText;

/// <summary>fastText's initial weights: input rows (words and n-gram buckets alike) uniform in ±1/dim; output rows zero.</summary>
internal static class FastTextWeights
{
    /// <summary>The input matrix, <paramref name="rows"/> rows of uniform(−1/dim, 1/dim).</summary>
    public static NativeMatrix CreateInput(int rows, int dimension, ulong seed)
    {
        var input = NativeMatrix.Allocate(rows, dimension, padRows: true);
        var random = new FastRandom(seed);
        float scale = 2f / dimension;
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = input.Row(r);
            for (int c = 0; c < row.Length; c++) row[c] = (random.NextFloat() - 0.5f) * scale;
        }
        return input;
    }
}
