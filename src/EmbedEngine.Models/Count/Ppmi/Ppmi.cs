using EmbedEngine.Kernels;
using EmbedEngine.Models.Training;
using EmbedEngine.Text;

namespace EmbedEngine.Models.Count;

/// <summary>
/// Positive pointwise mutual information from co-occurrence counts (Levy, Goldberg and Dagan 2015):
/// PMI(w, c) = log( #(w,c) / (#w · P_α(c)) ) − log k, where #w is row w's sum, P_α(c) = #c^α / Σ #c'^α the smoothed
/// distribution of column sums, and k the shift; only entries above 0 are kept.
/// </summary>
public static class Ppmi
{
    /// <summary>The PPMI matrix of <paramref name="counts"/>: same shape, only the positive entries stored.</summary>
    /// <exception cref="ArgumentException">Bad options, or a matrix that is not square.</exception>
    public static CsrMatrix Compute(CsrMatrix counts, PpmiOptions options)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CooccurrenceInput.EnsureSquare(counts);
        ReadOnlySpan<long> rowStarts = counts.RowStarts;
        ReadOnlySpan<int> columns = counts.ColumnIndices;
        ReadOnlySpan<float> values = counts.Values;
        int n = counts.Rows;

        var columnSums = new double[n];
        for (int j = 0; j < columns.Length; j++) columnSums[columns[j]] += values[j];
        double smoothedTotal = 0;
        foreach (double sum in columnSums) smoothedTotal += Math.Pow(sum, options.ContextSmoothing);
        // log P_α(c), once per column; a column with no counts is never looked up.
        var logContext = new double[n];
        for (int c = 0; c < n; c++)
            logContext[c] = columnSums[c] > 0 ? options.ContextSmoothing * Math.Log(columnSums[c]) - Math.Log(smoothedTotal) : 0;
        double logShift = Math.Log(options.Shift);

        var ppmi = new CsrMatrixBuilder(n);
        for (int w = 0; w < n; w++)
        {
            double rowSum = 0;
            for (long j = rowStarts[w]; j < rowStarts[w + 1]; j++) rowSum += values[(int)j];
            double logRow = Math.Log(rowSum);
            for (long j = rowStarts[w]; j < rowStarts[w + 1]; j++)
            {
                float x = values[(int)j];
                if (x <= 0) continue;
                int c = columns[(int)j];
                double pmi = Math.Log(x) - logRow - logContext[c] - logShift;
                if (pmi <= 0) continue;
                ppmi.Append(c, (float)pmi);
            }
            ppmi.EndRow();
        }
        return ppmi.Build();
    }
}
