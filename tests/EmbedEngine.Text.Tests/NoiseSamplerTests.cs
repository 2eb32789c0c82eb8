namespace EmbedEngine.Text.Tests;

public class NoiseSamplerTests
{
    [Fact]
    public void Probabilities_are_unigram_to_the_power_three_quarters()
    {
        Vocabulary vocabulary = Vocabulary.FromCounts([("a", 16), ("b", 1)]);
        var sampler = new NoiseSampler(vocabulary);

        // 16^0.75 = 8, 1^0.75 = 1.
        Assert.Equal(8.0 / 9, sampler.Probability(0), 12);
        Assert.Equal(1.0 / 9, sampler.Probability(1), 12);
    }

    [Fact]
    public void Empirical_frequencies_match_unigram_to_the_power_three_quarters()
    {
        // Zipf counts over 200 words: a few very frequent words and a long tail, as in text.
        var counts = Enumerable.Range(0, 200).Select(i => ($"w{i}", 1_000_000L / (i + 1))).ToList();
        Vocabulary vocabulary = Vocabulary.FromCounts(counts);
        var sampler = new NoiseSampler(vocabulary);
        double totalWeight = counts.Sum(c => Math.Pow(c.Item2, 0.75));

        const int Draws = 1_000_000;
        var drawn = new long[vocabulary.Count];
        ulong state = 42;
        for (int i = 0; i < Draws; i++) drawn[sampler.Sample(SplitMix64(ref state))]++;

        double chiSquare = 0;
        for (int id = 0; id < vocabulary.Count; id++)
        {
            double expected = Draws * Math.Pow(vocabulary.Frequency(id), 0.75) / totalWeight;
            Assert.Equal(expected / Draws, sampler.Probability(id), 12);
            chiSquare += (drawn[id] - expected) * (drawn[id] - expected) / expected;
        }
        // 199 degrees of freedom: mean 199, standard deviation about 20; 300 is beyond 5 deviations.
        Assert.True(chiSquare < 300, $"chi-square {chiSquare:F1} over 199 degrees of freedom");
    }

    [Fact]
    public void Power_zero_draws_uniformly_and_a_single_word_always_wins()
    {
        var uniform = new NoiseSampler(Vocabulary.FromCounts([("a", 1000), ("b", 10), ("c", 1)]), power: 0);
        var single = new NoiseSampler(Vocabulary.FromCounts([("only", 7)]));

        Assert.All(Enumerable.Range(0, 3), id => Assert.Equal(1.0 / 3, uniform.Probability(id), 12));
        Assert.Equal(0, single.Sample(0));
        Assert.Equal(0, single.Sample(ulong.MaxValue));
    }

    [Fact]
    public void Extreme_random_bits_stay_in_range()
    {
        var sampler = new NoiseSampler(Vocabulary.FromCounts([("a", 5), ("b", 3), ("c", 1)]));

        foreach (ulong bits in new[] { 0UL, ulong.MaxValue, 1UL << 63, uint.MaxValue, ulong.MaxValue - uint.MaxValue })
            Assert.InRange(sampler.Sample(bits), 0, 2);
    }

    private static ulong SplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
