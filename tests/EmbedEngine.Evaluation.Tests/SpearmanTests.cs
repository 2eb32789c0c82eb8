namespace EmbedEngine.Evaluation.Tests;

public class SpearmanTests
{
    [Fact]
    public void Perfect_agreement_and_disagreement()
    {
        Assert.Equal(1.0, Spearman.Correlation([1, 2, 3], [10, 20, 30]), 12);
        Assert.Equal(-1.0, Spearman.Correlation([1, 2, 3], [3, 2, 1]), 12);
        Assert.Equal(1.0, Spearman.Correlation([1, 2, 3], [1, 8, 1000]), 12); // only order matters
    }

    [Fact]
    public void Without_ties_it_is_one_minus_six_sum_d_squared_over_n_n2_minus_1()
    {
        // Rank differences 1, -1, 1, -1, 0: 1 - 6·4 / (5·24) = 0.8.
        Assert.Equal(0.8, Spearman.Correlation([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]), 12);
    }

    [Fact]
    public void Ties_share_the_average_rank()
    {
        // y ranks: 1, 2, 3.5, 5, 3.5; covariance 8, variances 10 and 9.5 (scipy.stats.spearmanr agrees).
        Assert.Equal(8 / Math.Sqrt(10 * 9.5), Spearman.Correlation([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]), 12);
        // Ties on both sides, arranged to cancel out.
        Assert.Equal(0.0, Spearman.Correlation([1, 1, 2, 2], [1, 2, 1, 2]), 12);
        Assert.Equal([1.5, 1.5, 3.5, 3.5], Spearman.Ranks([7, 7, 9, 9], "x"));
        Assert.Equal([2, 2, 2], Spearman.Ranks([4, 4, 4], "x"));
    }

    [Fact]
    public void Undefined_cases_give_NaN()
    {
        Assert.True(double.IsNaN(Spearman.Correlation([], [])));
        Assert.True(double.IsNaN(Spearman.Correlation([1], [2])));
        Assert.True(double.IsNaN(Spearman.Correlation([1, 2, 3], [5, 5, 5])));
    }

    [Fact]
    public void Bad_input_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Spearman.Correlation([1, 2], [1, 2, 3]));
        Assert.Throws<ArgumentException>(() => Spearman.Correlation([1, double.NaN], [1, 2]));
    }
}
