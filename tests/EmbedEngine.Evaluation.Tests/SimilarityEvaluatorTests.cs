using EmbedEngine.Vectors;

namespace EmbedEngine.Evaluation.Tests;

public sealed class SimilarityEvaluatorTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>2-D vectors at 0°, 20°, 50° and 90°: cosines ab = cos 20°, ac = cos 50°, ad = 0, bc = cos 30°.</summary>
    private static KeyedVectors Angles() => TestVectors.Create(
        ("a", Polar(0)), ("b", Polar(20)), ("c", Polar(50)), ("d", Polar(90)));

    [Fact]
    public void Mixed_separators_comments_case_fallback_and_oov_pairs()
    {
        string path = _files.Write("tiny-sim.txt",
            "# word1 word2 score\n" +
            "a\tb\t9\n" +
            "a,c,7\n" +
            "\n" +
            "A d 1\n" +          // "A" is not in the vocabulary; its lowercase is
            "b   c   7.0\n" +
            "a zebra 3\n");      // out of vocabulary: counted, not scored
        using var vectors = Angles();
        SimilarityReport report = SimilarityEvaluator.Evaluate(vectors, path);
        Assert.Equal("tiny-sim", report.Name);
        Assert.Equal(5, report.Pairs);
        Assert.Equal(4, report.Found);
        // Model ranks (ab, ac, ad, bc) = 4, 2, 1, 3; human ranks = 4, 2.5, 1, 2.5 (a tie at 7).
        // Covariance 4.5, variances 4.5 and 5.
        Assert.Equal(4.5 / Math.Sqrt(4.5 * 5), report.Spearman, 6);
    }

    [Fact]
    public void Scored_pairs_carry_line_human_score_and_cosine_and_a_line_subset_rescored()
    {
        string path = _files.Write("lines.txt", "a b 9\na zebra 3\na c 7\nb c 8\n");
        using var vectors = Angles();
        ScoredPairs pairs = SimilarityEvaluator.ScorePairs(vectors, path);
        Assert.Equal(4, pairs.Pairs);
        Assert.Equal([1, 3, 4], pairs.Found.Select(p => p.Line));
        Assert.Equal([9.0, 7.0, 8.0], pairs.Found.Select(p => p.Human));
        double[] expectedCosines = [Math.Cos(20 * Math.PI / 180), Math.Cos(50 * Math.PI / 180), Math.Cos(30 * Math.PI / 180)];
        for (int i = 0; i < 3; i++) Assert.Equal(expectedCosines[i], pairs.Found[i].Cosine, 5);
        // Human ranks (ab, ac, bc) = 3, 1, 2 against cosine ranks 3, 1, 2.
        Assert.Equal(SimilarityEvaluator.Evaluate(vectors, path), pairs.ToReport());
        Assert.Equal(1.0, pairs.ToReport().Spearman, 9);
        // Lines 1 and 3 (ab = 9, ac = 7) alone: two pairs, ranked alike.
        SimilarityReport subset = pairs.ToReport(new HashSet<int> { 1, 3 });
        Assert.Equal((4, 2, 1.0), (subset.Pairs, subset.Found, Math.Round(subset.Spearman, 9)));
    }

    [Fact]
    public void Perfect_ranking_scores_one()
    {
        string path = _files.Write("perfect.csv", "a,b,10\na,c,6\na,d,0.5\nb,c,8\n");
        using var vectors = Angles();
        Assert.Equal(1.0, SimilarityEvaluator.Evaluate(vectors, path).Spearman, 9);
    }

    [Theory]
    [InlineData("a b\n", 1)]
    [InlineData("a b 3\na b high\n", 2)]
    [InlineData("# ok\na b 3 4\n", 2)]
    public void Malformed_lines_name_the_file_and_line(string contents, int line)
    {
        string path = _files.Write("bad.txt", contents);
        using var vectors = Angles();
        var error = Assert.Throws<EvaluationDataException>(() => SimilarityEvaluator.Evaluate(vectors, path));
        Assert.Equal(line, error.LineNumber);
        Assert.StartsWith($"{path}:{line}:", error.Message);
    }

    [Fact]
    public void Missing_file_is_reported()
    {
        using var vectors = Angles();
        string path = _files.PathOf("absent.txt");
        var error = Assert.Throws<EvaluationDataException>(() => SimilarityEvaluator.Evaluate(vectors, path));
        Assert.Contains(path, error.Message);
    }

    private static float[] Polar(float degrees) => [MathF.Cos(degrees * MathF.PI / 180), MathF.Sin(degrees * MathF.PI / 180)];
}
