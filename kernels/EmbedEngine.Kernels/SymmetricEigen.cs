namespace EmbedEngine.Kernels;

/// <summary>
/// Eigenvalues and eigenvectors of a small symmetric matrix by the cyclic Jacobi method (Golub and Van Loan,
/// §8.5): plane rotations zero each off-diagonal entry in turn until the off-diagonal part is negligible. Slower
/// than tridiagonal QR but short, accurate to small relative error, and plenty fast for the sketch sizes here.
/// </summary>
public static class SymmetricEigen
{
    /// <summary>Sweeps are quadratically convergent; a few more than ten never happen on well-formed input.</summary>
    private const int MaxSweeps = 60;

    /// <summary>
    /// Decomposes the row-major symmetric <paramref name="matrix"/> (<paramref name="size"/>²), which is destroyed.
    /// Returns the eigenvalues, largest first, and the eigenvectors as the columns of a row-major matrix, same order.
    /// </summary>
    public static (double[] Values, double[] Vectors) Decompose(double[] matrix, int size)
    {
        if (matrix.Length != size * size) throw new ArgumentException($"A {size} × {size} matrix needs {size * size} values, not {matrix.Length}.");
        double[] a = matrix, v = new double[size * size];
        for (int i = 0; i < size; i++) v[i * size + i] = 1;
        for (int sweep = 0; sweep < MaxSweeps && !Converged(a, size); sweep++)
            for (int p = 0; p < size - 1; p++)
                for (int q = p + 1; q < size; q++)
                    Rotate(a, v, size, p, q);
        return Sorted(a, v, size);
    }

    /// <summary>Off-diagonal mass negligible next to the diagonal's, at double precision.</summary>
    private static bool Converged(double[] a, int n)
    {
        double off = 0, diagonal = 0;
        for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
        {
            double square = a[i * n + j] * a[i * n + j];
            if (i == j) diagonal += square;
            else off += square;
        }
        return off <= 1e-30 * diagonal || off == 0;
    }

    /// <summary>One Jacobi rotation in the (p, q) plane that zeroes a[p, q]: A ← JᵀAJ, V ← VJ.</summary>
    private static void Rotate(double[] a, double[] v, int n, int p, int q)
    {
        double apq = a[p * n + q];
        if (apq == 0) return;
        double tau = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        // The smaller root of t² + 2τt − 1 = 0: the rotation angle below π/4, which keeps the sweep stable.
        double t = (tau >= 0 ? 1 : -1) / (Math.Abs(tau) + Math.Sqrt(1 + tau * tau));
        double c = 1 / Math.Sqrt(1 + t * t), s = t * c;
        for (int k = 0; k < n; k++)
        {
            double akp = a[k * n + p], akq = a[k * n + q];
            a[k * n + p] = c * akp - s * akq;
            a[k * n + q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++)
        {
            double apk = a[p * n + k], aqk = a[q * n + k];
            a[p * n + k] = c * apk - s * aqk;
            a[q * n + k] = s * apk + c * aqk;
        }
        for (int k = 0; k < n; k++)
        {
            double vkp = v[k * n + p], vkq = v[k * n + q];
            v[k * n + p] = c * vkp - s * vkq;
            v[k * n + q] = s * vkp + c * vkq;
        }
    }

    private static (double[] Values, double[] Vectors) Sorted(double[] a, double[] v, int n)
    {
        int[] order = [.. Enumerable.Range(0, n).OrderByDescending(i => a[i * n + i])];
        var values = new double[n];
        var vectors = new double[n * n];
        for (int k = 0; k < n; k++)
        {
            values[k] = a[order[k] * n + order[k]];
            for (int i = 0; i < n; i++) vectors[i * n + k] = v[i * n + order[k]];
        }
        return (values, vectors);
    }
}
