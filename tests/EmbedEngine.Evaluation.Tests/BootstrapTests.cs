namespace EmbedEngine.Evaluation.Tests;

public sealed class BootstrapTests
{
    [Fact]
    public void Accuracy_interval_contains_the_accuracy_and_is_as_wide_as_a_binomial()
    {
        // 700 of 1000 right: the normal approximation of the binomial gives 0.7 ± 1.96·sqrt(0.7·0.3/1000) = ± 0.0284.
        ConfidenceInterval interval = Bootstrap.Accuracy(700, 1000, resamples: 2000, seed: 7);
        Assert.InRange(0.7, interval.Lower, interval.Upper);
        double binomialWidth = 2 * 1.96 * Math.Sqrt(0.7 * 0.3 / 1000);
        Assert.InRange(interval.Upper - interval.Lower, 0.9 * binomialWidth, 1.1 * binomialWidth);
        Assert.InRange(0.7 - interval.Lower, 0.4 * binomialWidth, 0.6 * binomialWidth);
    }

    [Fact]
    public void Accuracy_interval_equals_a_direct_bootstrap_with_the_same_seed()
    {
        const int Correct = 13, Answered = 40, Resamples = 500, Seed = 3;
        var random = new Random(Seed);
        double[] accuracies = [.. Enumerable.Range(0, Resamples).Select(_ =>
            Enumerable.Range(0, Answered).Count(_ => random.Next(Answered) < Correct) / (double)Answered)];
        AssertSame(NumpyPercentiles(accuracies), Bootstrap.Accuracy(Correct, Answered, Resamples, Seed));
    }

    [Fact]
    public void Spearman_interval_equals_a_direct_bootstrap_of_the_pairs()
    {
        var data = new Random(11);
        double[] human = [.. Enumerable.Range(0, 60).Select(i => (double)(i % 10))];
        double[] cosine = [.. human.Select(h => h / 10 + data.NextDouble())];
        const int Resamples = 300, Seed = 5;
        var random = new Random(Seed);
        var correlations = new List<double>();
        for (int r = 0; r < Resamples; r++)
        {
            int[] picks = [.. Enumerable.Range(0, human.Length).Select(_ => random.Next(human.Length))];
            correlations.Add(Spearman.Correlation([.. picks.Select(i => human[i])], [.. picks.Select(i => cosine[i])]));
        }
        ConfidenceInterval interval = Bootstrap.Spearman(human, cosine, Resamples, Seed);
        AssertSame(NumpyPercentiles([.. correlations]), interval);
        Assert.InRange(Spearman.Correlation(human, cosine), interval.Lower, interval.Upper);
        Assert.True(interval.Upper - interval.Lower > 0.1, $"{interval} is implausibly narrow for 60 noisy pairs");
    }

    [Fact]
    public void Mean_spearman_interval_equals_a_direct_bootstrap_within_each_sample()
    {
        var data = new Random(13);
        (double[] X, double[] Y)[] samples = [.. new[] { 40, 25 }.Select(n =>
        {
            double[] gold = [.. Enumerable.Range(0, n).Select(i => (double)(i % 6))];
            return (gold, (double[])[.. gold.Select(g => g / 6 + data.NextDouble())]);
        })];
        const int Resamples = 300, Seed = 8;
        var random = new Random(Seed);
        var means = new List<double>();
        for (int r = 0; r < Resamples; r++)
            means.Add(samples.Average(sample =>
            {
                int[] picks = [.. sample.X.Select(_ => random.Next(sample.X.Length))];
                return Spearman.Correlation([.. picks.Select(i => sample.X[i])], [.. picks.Select(i => sample.Y[i])]);
            }));
        AssertSame(NumpyPercentiles([.. means]), Bootstrap.MeanSpearman(samples, Resamples, Seed));
        // One sample: the plain Spearman interval.
        Assert.Equal(Bootstrap.Spearman(samples[0].X, samples[0].Y, Resamples, Seed), Bootstrap.MeanSpearman([samples[0]], Resamples, Seed));
        Assert.True(double.IsNaN(Bootstrap.MeanSpearman([samples[0], ([1.0], [2.0])], Resamples, Seed).Lower));
    }

    [Fact]
    public void Too_few_items_give_no_interval_and_a_seed_repeats_its_interval()
    {
        Assert.True(double.IsNaN(Bootstrap.Accuracy(1, 1, 100, 1).Lower));
        Assert.True(double.IsNaN(Bootstrap.Spearman([1.0], [2.0], 100, 1).Upper));
        Assert.Equal(Bootstrap.Accuracy(30, 90, 200, 9), Bootstrap.Accuracy(30, 90, 200, 9));
        Assert.NotEqual(Bootstrap.Accuracy(30, 90, 200, 9), Bootstrap.Accuracy(30, 90, 200, 10));
    }

    /// <summary>Equal up to the rounding of the interpolation, which the two sides write differently.</summary>
    private static void AssertSame(ConfidenceInterval expected, ConfidenceInterval actual)
    {
        Assert.Equal(expected.Lower, actual.Lower, 1e-12);
        Assert.Equal(expected.Upper, actual.Upper, 1e-12);
    }

    /// <summary>numpy.percentile([2.5, 97.5]) with its default linear interpolation, written out independently.</summary>
    private static ConfidenceInterval NumpyPercentiles(double[] values)
    {
        double[] sorted = [.. values.Order()];
        double At(double q)
        {
            double h = (sorted.Length - 1) * q;
            int lo = (int)h;
            return lo + 1 < sorted.Length ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
        }
        return new ConfidenceInterval(At(0.025), At(0.975));
    }
}
