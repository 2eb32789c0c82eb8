namespace EmbedEngine.Evaluation;

/// <summary>A confidence interval: the range a figure would likely fall in on another sample of questions or pairs.</summary>
/// <param name="Lower">The lower bound.</param>
/// <param name="Upper">The upper bound.</param>
public readonly record struct ConfidenceInterval(double Lower, double Upper)
{
    /// <summary>No interval: too little data (fewer than two items, or every resample undefined).</summary>
    public static ConfidenceInterval Undefined => new(double.NaN, double.NaN);
}

/// <summary>
/// Percentile bootstrap intervals (Efron): the figure is recomputed on resamples of its items drawn with replacement,
/// and the interval is the middle <c>confidence</c> share of those figures. Each interval starts a fresh
/// <see cref="Random"/> from the seed, so a figure's interval depends on the seed and its own data only, never on
/// which other figures were computed before it.
/// </summary>
public static class Bootstrap
{
    /// <summary>The usual share of resampled figures the interval spans.</summary>
    public const double DefaultConfidence = 0.95;

    /// <summary>
    /// The interval of an accuracy <paramref name="correct"/> / <paramref name="answered"/>, resampling the answered
    /// questions: each resample draws <paramref name="answered"/> question indices uniformly, and the questions
    /// numbered below <paramref name="correct"/> are the right ones (the counts are all a resample needs).
    /// </summary>
    public static ConfidenceInterval Accuracy(int correct, int answered, int resamples, int seed,
        double confidence = DefaultConfidence)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(correct);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(correct, answered);
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        if (answered < 2) return ConfidenceInterval.Undefined;
        var random = new Random(seed);
        var accuracies = new double[resamples];
        for (int r = 0; r < resamples; r++)
        {
            int hits = 0;
            for (int i = 0; i < answered; i++)
                if (random.Next(answered) < correct) hits++;
            accuracies[r] = (double)hits / answered;
        }
        return Percentiles(accuracies, confidence);
    }

    /// <summary>
    /// The interval of the Spearman correlation of <paramref name="x"/> and <paramref name="y"/>, resampling pairs:
    /// each resample draws <c>x.Length</c> pair indices uniformly. Resamples whose correlation is undefined (a
    /// constant side) are left out.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static ConfidenceInterval Spearman(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int resamples, int seed,
        double confidence = DefaultConfidence)
    {
        if (x.Length != y.Length) throw new ArgumentException($"Lengths differ: {x.Length} and {y.Length}.", nameof(y));
        return MeanSpearman([(x.ToArray(), y.ToArray())], resamples, seed, confidence);
    }

    /// <summary>
    /// The interval of the mean of several samples' Spearman correlations (SentEval's STS figure: the mean over a
    /// year's files), resampling pairs within each sample (a stratified bootstrap): each resample draws every sample's
    /// own length of pair indices from it, in sample order. Resamples in which any correlation is undefined are left
    /// out. With one sample this is <see cref="Spearman"/>'s interval.
    /// </summary>
    /// <exception cref="ArgumentException">A sample's two sides differ in length.</exception>
    public static ConfidenceInterval MeanSpearman(IReadOnlyList<(double[] X, double[] Y)> samples, int resamples, int seed,
        double confidence = DefaultConfidence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        foreach ((double[] x, double[] y) in samples)
            if (x.Length != y.Length) throw new ArgumentException($"Lengths differ: {x.Length} and {y.Length}.", nameof(samples));
        if (samples.Count == 0 || samples.Any(sample => sample.X.Length < 2)) return ConfidenceInterval.Undefined;
        var random = new Random(seed);
        var means = new List<double>(resamples);
        for (int r = 0; r < resamples; r++)
        {
            double sum = 0;
            foreach ((double[] x, double[] y) in samples)
            {
                int n = x.Length;
                var sampleX = new double[n];
                var sampleY = new double[n];
                for (int i = 0; i < n; i++)
                {
                    int pick = random.Next(n);
                    sampleX[i] = x[pick];
                    sampleY[i] = y[pick];
                }
                sum += Evaluation.Spearman.Correlation(sampleX, sampleY);
            }
            if (!double.IsNaN(sum)) means.Add(sum / samples.Count);
        }
        return means.Count == 0 ? ConfidenceInterval.Undefined : Percentiles([.. means], confidence);
    }

    /// <summary>
    /// The (1 - confidence) / 2 and (1 + confidence) / 2 quantiles, interpolating linearly between order statistics
    /// as numpy.percentile does by default, so the interval can be checked against numpy.
    /// </summary>
    internal static ConfidenceInterval Percentiles(double[] values, double confidence)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(confidence);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(confidence, 1);
        Array.Sort(values);
        return new ConfidenceInterval(Quantile(values, (1 - confidence) / 2), Quantile(values, (1 + confidence) / 2));
    }

    private static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
