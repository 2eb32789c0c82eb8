namespace EmbedEngine.Text.Tests;

public class SubsamplerTests
{
    [Fact]
    public void Keep_probability_follows_word2vec_formula_capped_at_one()
    {
        Vocabulary vocabulary = Vocabulary.FromCounts([("the", 50_000), ("of", 20_000), ("cat", 300), ("rare", 2)]);
        const double sample = 1e-3;
        var subsampler = new Subsampler(vocabulary, sample);

        double scaled = sample * vocabulary.TotalWords; // 70.302
        for (int id = 0; id < vocabulary.Count; id++)
        {
            double f = vocabulary.Frequency(id);
            double expected = Math.Min(1, (Math.Sqrt(f / scaled) + 1) * scaled / f);
            Assert.Equal(expected, subsampler.KeepProbability(id), 6);
        }
        Assert.Equal(0.0389, subsampler.KeepProbability(0), 4); // (sqrt(50000/70.302) + 1) * 70.302 / 50000
        Assert.Equal(1f, subsampler.KeepProbability(3));
    }

    [Fact]
    public void Keep_compares_a_uniform_number_with_the_probability()
    {
        Vocabulary vocabulary = Vocabulary.FromCounts([("the", 1_000_000), ("rare", 1)]);
        var subsampler = new Subsampler(vocabulary, 1e-4);
        float p = subsampler.KeepProbability(0);

        Assert.True(subsampler.Keep(0, p * 0.99f));
        Assert.False(subsampler.Keep(0, p));
        Assert.False(subsampler.Keep(0, 0.999f));
        Assert.True(subsampler.Keep(1, 0.9999999f));
    }

    [Fact]
    public void Zero_sample_keeps_every_word()
    {
        Vocabulary vocabulary = Vocabulary.FromCounts([("the", 1_000_000), ("rare", 1)]);
        var subsampler = new Subsampler(vocabulary, 0);

        Assert.Equal(1f, subsampler.KeepProbability(0));
        Assert.True(subsampler.Keep(0, 0.9999999f));
    }

    [Fact]
    public void Negative_or_nan_sample_is_rejected()
    {
        Vocabulary vocabulary = Vocabulary.FromCounts([("a", 1)]);

        Assert.Throws<ArgumentOutOfRangeException>(() => new Subsampler(vocabulary, -1e-3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Subsampler(vocabulary, double.NaN));
    }
}
