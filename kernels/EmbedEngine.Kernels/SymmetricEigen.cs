namespace EmbedEngine.Kernels;

/// <summary>
/// The leading eigenvectors of a small symmetric positive semi-definite matrix (a Gram or covariance matrix, d × d)
/// by power iteration, deflating each one found before the next. Meant for the few components SIF and PCA plots need;
/// large problems go through the truncated SVD.
/// </summary>
public static class SymmetricEigen
{
    /// <summary>
    /// The <paramref name="count"/> eigenvectors of largest eigenvalue of <paramref name="matrix"/> (row-major, d × d,
    /// destroyed by the deflation), unit length, with their eigenvalues; a vector stays zero once the remaining
    /// matrix is zero.
    /// </summary>
    public static (double[][] Vectors, double[] Values) Leading(double[] matrix, int d, int count, int maxIterations = 200, double tolerance = 1e-9)
    {
        if (matrix.Length != d * d) throw new ArgumentException($"A {d} × {d} matrix has {d * d} elements; got {matrix.Length}.");
        var vectors = new double[count][];
        var values = new double[count];
        var next = new double[d];
        for (int k = 0; k < count; k++)
        {
            var v = vectors[k] = new double[d];
            for (int i = 0; i < d; i++) v[i] = 1 / Math.Sqrt(d) * (1 + 0.01 * i); // a start no eigenvector is orthogonal to, in practice
            bool converged = false;
            for (int iteration = 0; iteration < maxIterations && !converged; iteration++)
            {
                Multiply(matrix, d, v, next);
                double norm = Math.Sqrt(next.Sum(x => x * x));
                if (norm == 0)
                {
                    Array.Clear(v);
                    break;
                }
                double change = 0;
                for (int i = 0; i < d; i++)
                {
                    double value = next[i] / norm;
                    change = Math.Max(change, Math.Abs(value - v[i]));
                    v[i] = value;
                }
                converged = change < tolerance;
            }
            Multiply(matrix, d, v, next);
            double eigenvalue = 0;
            for (int i = 0; i < d; i++) eigenvalue += v[i] * next[i];
            values[k] = eigenvalue;
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++) matrix[i * d + j] -= eigenvalue * v[i] * v[j];
        }
        return (vectors, values);
    }

    private static void Multiply(double[] matrix, int d, double[] v, double[] result)
    {
        for (int i = 0; i < d; i++)
        {
            double sum = 0;
            for (int j = 0; j < d; j++) sum += matrix[i * d + j] * v[j];
            result[i] = sum;
        }
    }
}
