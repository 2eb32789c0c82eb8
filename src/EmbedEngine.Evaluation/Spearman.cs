namespace EmbedEngine.Evaluation;

/// <summary>Spearman's rank correlation, the standard score of word-similarity benchmarks.</summary>
public static class Spearman
{
    /// <summary>
    /// The Pearson correlation of the ranks of <paramref name="x"/> and <paramref name="y"/>, tied values sharing
    /// the average of the ranks they span (as scipy.stats.spearmanr does). NaN when fewer than two pairs are given
    /// or either side is constant, where the correlation is undefined.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths differ or a value is NaN.</exception>
    public static double Correlation(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"Lengths differ: {x.Length} and {y.Length}.", nameof(y));
        if (x.Length < 2) return double.NaN;
        return Pearson(Ranks(x, nameof(x)), Ranks(y, nameof(y)));
    }

    /// <summary>One-based ranks, ties averaged.</summary>
    internal static double[] Ranks(ReadOnlySpan<double> values, string parameterName)
    {
        double[] copy = values.ToArray();
        if (Array.Exists(copy, double.IsNaN)) throw new ArgumentException("Values must not be NaN.", parameterName);
        int[] order = [.. Enumerable.Range(0, copy.Length)];
        Array.Sort([.. copy], order);
        var ranks = new double[copy.Length];
        for (int start = 0; start < order.Length;)
        {
            int end = start + 1;
            while (end < order.Length && copy[order[end]] == copy[order[start]]) end++;
            // Positions start..end-1 hold equal values: each gets the mean of ranks start+1..end.
            double averageRank = (start + 1 + end) / 2.0;
            for (int i = start; i < end; i++) ranks[order[i]] = averageRank;
            start = end;
        }
        return ranks;
    }

    internal static double Pearson(double[] x, double[] y)
    {
        double meanX = x.Average(), meanY = y.Average();
        double covariance = 0, varianceX = 0, varianceY = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double dx = x[i] - meanX, dy = y[i] - meanY;
            covariance += dx * dy;
            varianceX += dx * dx;
            varianceY += dy * dy;
        }
        return varianceX == 0 || varianceY == 0 ? double.NaN : covariance / Math.Sqrt(varianceX * varianceY);
    }
}
