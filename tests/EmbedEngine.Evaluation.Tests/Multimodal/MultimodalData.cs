using EmbedEngine.Evaluation.Multimodal;

namespace EmbedEngine.Evaluation.Tests.Multimodal;

internal static class MultimodalData
{
    public static EmbeddingMatrix Matrix(params float[][] rows) => EmbeddingMatrix.FromRows(rows);

    /// <summary>
    /// Rows whose cosines are exact in float whatever the order of summation: each row has 1, 4 or 16 non-zero entries
    /// of ±2^s (d = 16), so its norm is a power of two, normalizing divides exactly, and every dot product of unit rows
    /// is a sum of at most 16 multiples of 1/16. Few distinct directions exist for one non-zero, so ties are frequent.
    /// </summary>
    public static EmbeddingMatrix ExactRows(int rows, Random random)
    {
        const int Dimension = 16;
        int[] counts = [1, 4, 16];
        var data = new float[rows * Dimension];
        for (int i = 0; i < rows; i++)
        {
            int count = counts[random.Next(counts.Length)];
            float scale = MathF.Pow(2, random.Next(-2, 3));
            foreach (int column in Enumerable.Range(0, Dimension).OrderBy(_ => random.Next()).Take(count))
                data[i * Dimension + column] = random.Next(2) == 0 ? scale : -scale;
        }
        return new EmbeddingMatrix(data, rows, Dimension);
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>
    /// <paramref name="perClass"/> rows of each of 3 classes in <paramref name="dimension"/> dimensions: class c is a
    /// unit Gaussian around 5·e_c (classes 5/√2 standard deviations from each boundary, so about 0.04% of draws fall
    /// on the wrong side), shifted by 100 and with the unused features stretched 20-fold (so the features are far
    /// from standardized); labels in class-interleaved order.
    /// </summary>
    public static (EmbeddingMatrix Features, int[] Labels) ThreeGaussians(int perClass, int dimension, Random random)
    {
        const int Classes = 3;
        int n = perClass * Classes;
        var data = new float[n * dimension];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            int c = i % Classes;
            labels[i] = c;
            for (int j = 0; j < dimension; j++)
            {
                double value = Gaussian(random) * (j < Classes ? 1 : 20) + (j == c ? 5 : 0);
                data[i * dimension + j] = (float)(100 + value);
            }
        }
        return (new EmbeddingMatrix(data, n, dimension), labels);
    }

    public static double[] UnitRowsInDouble(EmbeddingMatrix matrix)
    {
        var unit = new double[matrix.Data.Length];
        for (int i = 0; i < matrix.Rows; i++)
        {
            ReadOnlySpan<float> row = matrix.Row(i);
            double norm = Math.Sqrt(row.ToArray().Sum(x => (double)x * x));
            for (int j = 0; j < row.Length; j++) unit[i * matrix.Dimension + j] = norm == 0 ? 0 : row[j] / norm;
        }
        return unit;
    }
}
