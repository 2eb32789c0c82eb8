using EmbedEngine.Kernels;
using EmbedEngine.Models.Training;

namespace EmbedEngine.Models.Count;

/// <summary>The random test matrix of randomized SVD: independent standard normal entries, reproducible from a seed.</summary>
internal static class GaussianMatrix
{
    /// <summary>A padded <paramref name="rows"/> × <paramref name="columns"/> matrix of N(0, 1) draws (Box–Muller); randomized SVD takes its rows as Ω's columns.</summary>
    public static NativeMatrix Create(int rows, int columns, ulong seed)
    {
        var matrix = NativeMatrix.Allocate(rows, columns, padRows: true);
        var random = new FastRandom(seed);
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = matrix.Row(r);
            for (int c = 0; c < columns; c += 2)
            {
                // 1 − u keeps the logarithm's argument in (0, 1].
                double radius = Math.Sqrt(-2 * Math.Log(1 - random.NextFloat()));
                double angle = 2 * Math.PI * random.NextFloat();
                row[c] = (float)(radius * Math.Cos(angle));
                if (c + 1 < columns) row[c + 1] = (float)(radius * Math.Sin(angle));
            }
        }
        return matrix;
    }
}
