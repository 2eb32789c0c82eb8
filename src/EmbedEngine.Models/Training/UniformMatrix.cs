using EmbedEngine.Kernels;

namespace EmbedEngine.Models.Training;

/// <summary>The starting input vectors of word2vec and fastText: independent uniform entries, reproducible from a seed.</summary>
internal static class UniformMatrix
{
    /// <summary>
    /// A padded matrix of (u − 0.5) / <paramref name="divisor"/> for u uniform in [0, 1): word2vec.c divides by dim
    /// (±0.5/dim), fastText draws from ±1/dim, which is a divisor of dim / 2.
    /// </summary>
    public static NativeMatrix Create(int rows, int columns, float divisor, ulong seed)
    {
        var matrix = NativeMatrix.Allocate(rows, columns, padRows: true);
        var random = new FastRandom(seed);
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = matrix.Row(r);
            for (int c = 0; c < row.Length; c++) row[c] = (random.NextFloat() - 0.5f) / divisor;
        }
        return matrix;
    }
}
