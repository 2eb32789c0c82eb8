using EmbedEngine.Kernels;

namespace EmbedEngine.Vectors;

/// <summary>PCA for pictures of a few hundred vectors: their coordinates on the leading principal components.</summary>
public static class PrincipalComponents
{
    /// <summary>
    /// Centres <paramref name="rows"/> (all of one length) and returns each row's coordinates on the
    /// <paramref name="count"/> leading principal components, with the share of the total variance each component holds.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two rows, or rows of different lengths.</exception>
    public static (double[][] Coordinates, double[] VarianceShare) Project(IReadOnlyList<float[]> rows, int count)
    {
        if (rows.Count < 2) throw new ArgumentException($"PCA needs at least two vectors; got {rows.Count}.");
        int d = rows[0].Length;
        if (rows.Any(r => r.Length != d)) throw new ArgumentException("The vectors differ in length.");
        var mean = new double[d];
        foreach (float[] row in rows)
            for (int i = 0; i < d; i++) mean[i] += row[i];
        for (int i = 0; i < d; i++) mean[i] /= rows.Count;
        var centred = rows.Select(row => row.Select((x, i) => x - mean[i]).ToArray()).ToArray();
        var covariance = new double[d * d];
        foreach (double[] row in centred)
            for (int i = 0; i < d; i++)
            {
                if (row[i] == 0) continue;
                for (int j = 0; j < d; j++) covariance[i * d + j] += row[i] * row[j];
            }
        double total = 0;
        for (int i = 0; i < d; i++) total += covariance[i * d + i];
        (double[] values, double[] vectors) = SymmetricEigen.Decompose(covariance, d);
        int kept = Math.Min(count, d);
        double[][] coordinates = [.. centred.Select(row =>
        {
            var projected = new double[kept];
            for (int k = 0; k < kept; k++)
                for (int i = 0; i < d; i++) projected[k] += row[i] * vectors[i * d + k]; // column k: the k-th component
            return projected;
        })];
        double[] share = [.. values.Take(kept).Select(v => total > 0 ? Math.Max(0, v) / total : 0)];
        return (coordinates, share);
    }
}
