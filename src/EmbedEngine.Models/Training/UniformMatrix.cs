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

    /// <summary>
    /// Like <see cref="Create"/>, but u comes from a counter-based hash of (seed, the row it stands for, column):
    /// each row's values depend only on <paramref name="originalRow"/>, so a matrix that holds some rows of a larger
    /// one starts them as the larger one would, whichever rows it holds and in whatever order.
    /// </summary>
    public static NativeMatrix CreateRows(int rows, int columns, float divisor, ulong seed, Func<int, long> originalRow)
    {
        var matrix = NativeMatrix.Allocate(rows, columns, padRows: true);
        uint key = (uint)(seed ^ (seed >> 32));
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = matrix.Row(r);
            long first = originalRow(r) * columns;
            for (int c = 0; c < row.Length; c++) row[c] = (CounterRandom.Uniform(key, first + c) - 0.5f) / divisor;
        }
        return matrix;
    }
}
