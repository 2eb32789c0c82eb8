namespace EmbedEngine.Vectors.Tests;

public class SearchTests
{
    /// <summary>2-D vectors at known angles and different lengths, so cosines are cos(angle difference).</summary>
    private static KeyedVectors Angles() => TestVectors.Create(
        ("a", Polar(2, 0)), ("b", Polar(3, 10)), ("c", Polar(0.5f, 30)), ("d", Polar(1, 60)), ("e", Polar(7, 100)));

    /// <summary>Axes: male, female, royal, fruit. Frequency order puts "queen" after "apple".</summary>
    private static KeyedVectors Royals() => TestVectors.Create(
        ("man", [1, 0, 0, 0.2f]), ("woman", [0, 1, 0, 0.2f]), ("king", [1, 0, 1, 0.2f]),
        ("apple", [0, 0, 0, 1]), ("queen", [0, 1, 1, 0.2f]), ("banana", [0, 0.1f, 0, 1]));

    [Fact]
    public void MostSimilar_ranks_by_cosine_and_excludes_the_query()
    {
        using var vectors = Angles();
        var result = vectors.MostSimilar("a", topN: 3);
        Assert.Equal(["b", "c", "d"], result.Select(r => r.Word));
        Assert.Equal(MathF.Cos(10 * MathF.PI / 180), result[0].Similarity, 1e-6f);
        Assert.Equal(MathF.Cos(30 * MathF.PI / 180), result[1].Similarity, 1e-6f);
        Assert.Equal(0.5f, result[2].Similarity, 1e-6f);
    }

    [Fact]
    public void MostSimilar_returns_fewer_when_the_vocabulary_runs_out()
    {
        using var vectors = Angles();
        Assert.Equal(4, vectors.MostSimilar("c", topN: 10).Count);
        Assert.Empty(vectors.MostSimilar("c", topN: 0));
    }

    [Fact]
    public void RestrictTo_considers_only_the_most_frequent_words()
    {
        using var vectors = Angles();
        Assert.Equal(["b", "c"], vectors.MostSimilar("a", topN: 3, restrictTo: 3).Select(r => r.Word));
        // The query word itself may lie outside the restriction; it is still a valid query.
        Assert.Equal(["c", "b"], vectors.MostSimilar("e", topN: 3, restrictTo: 3).Take(2).Select(r => r.Word));
        Assert.Equal(4, vectors.MostSimilar("a", topN: 10, restrictTo: 100).Count);
    }

    [Fact]
    public void Similarity_is_the_cosine()
    {
        using var vectors = Angles();
        Assert.Equal(MathF.Cos(100 * MathF.PI / 180), vectors.Similarity("a", "e"), 1e-6f);
        Assert.Equal(1f, vectors.Similarity("d", "d"), 1e-6f);
        Assert.Throws<KeyNotFoundException>(() => vectors.Similarity("a", "nope"));
    }

    [Fact]
    public void CosAdd_solves_king_minus_man_plus_woman()
    {
        using var vectors = Royals();
        var result = vectors.MostSimilar(["king", "woman"], ["man"], topN: 1);
        Assert.Equal("queen", result[0].Word);
        Assert.Equal(ExpectedCosAdd(vectors, "queen", ["king", "woman"], ["man"]), result[0].Similarity, 1e-5f);
    }

    [Fact]
    public void CosAdd_never_answers_with_an_input_word_and_respects_restrictTo()
    {
        using var vectors = Royals();
        var all = vectors.MostSimilar(["king", "woman"], ["man"], topN: 10);
        Assert.DoesNotContain(all, r => r.Word is "king" or "woman" or "man");
        Assert.Equal(3, all.Count);
        var restricted = vectors.MostSimilar(["king", "woman"], ["man"], topN: 10, restrictTo: 4);
        Assert.Equal(["apple"], restricted.Select(r => r.Word));
    }

    [Fact]
    public void CosMul_solves_king_minus_man_plus_woman_with_the_shifted_product_score()
    {
        using var vectors = Royals();
        var result = vectors.MostSimilarCosMul(["king", "woman"], ["man"], topN: 2);
        Assert.Equal("queen", result[0].Word);
        double expected = Shifted(vectors, "queen", "king") * Shifted(vectors, "queen", "woman")
            / (Shifted(vectors, "queen", "man") + 1e-3);
        Assert.Equal(expected, result[0].Similarity, 1e-5);
        Assert.Equal("banana", result[1].Word);
        Assert.Equal(["apple"], vectors.MostSimilarCosMul(["king", "woman"], ["man"], 5, restrictTo: 4).Select(r => r.Word));
    }

    [Fact]
    public void Queries_with_unknown_or_no_words_are_refused()
    {
        using var vectors = Royals();
        Assert.Throws<KeyNotFoundException>(() => vectors.MostSimilar(["king", "prince"], ["man"]));
        Assert.Throws<KeyNotFoundException>(() => vectors.MostSimilarCosMul(["king"], ["nobody"]));
        Assert.Throws<ArgumentException>(() => vectors.MostSimilar([], []));
        Assert.Throws<ArgumentOutOfRangeException>(() => vectors.MostSimilar("king", restrictTo: -1));
    }

    private static float[] Polar(float length, float degrees) =>
        [length * MathF.Cos(degrees * MathF.PI / 180), length * MathF.Sin(degrees * MathF.PI / 180)];

    private static double[] Unit(KeyedVectors vectors, string word)
    {
        double[] v = [.. vectors.Vector(word).ToArray().Select(x => (double)x)];
        double norm = Math.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => x / norm)];
    }

    private static double Cosine(double[] x, double[] y) =>
        x.Zip(y, (a, b) => a * b).Sum() / Math.Sqrt(x.Sum(a => a * a) * y.Sum(b => b * b));

    private static double Shifted(KeyedVectors vectors, string a, string b) =>
        (1 + Cosine(Unit(vectors, a), Unit(vectors, b))) / 2;

    private static double ExpectedCosAdd(KeyedVectors vectors, string answer, string[] positive, string[] negative)
    {
        var query = new double[vectors.Dimension];
        foreach (string p in positive) query = [.. query.Zip(Unit(vectors, p), (q, u) => q + u)];
        foreach (string n in negative) query = [.. query.Zip(Unit(vectors, n), (q, u) => q - u)];
        return Cosine(Unit(vectors, answer), query);
    }
}
