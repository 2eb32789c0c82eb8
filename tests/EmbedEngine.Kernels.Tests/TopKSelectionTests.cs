using EmbedEngine.Kernels;

namespace EmbedEngine.Kernels.Tests;

public class TopKSelectionTests
{
    /// <summary>The specification: sort by score descending, ties by lower index, skip excluded and NaN, take k.</summary>
    private static (int Row, float Score)[] SortReference(float[] scores, int k, Func<int, bool>? exclude) =>
        [.. scores.Select((s, r) => (Row: r, Score: s))
            .Where(e => !float.IsNaN(e.Score) && (exclude == null || !exclude(e.Row)))
            .OrderByDescending(e => e.Score).ThenBy(e => e.Row)
            .Take(Math.Max(k, 0))];

    private static void AssertMatchesSort(float[] scores, int k, Func<int, bool>? exclude = null)
    {
        var rows = new int[Math.Max(k, 0)];
        var best = new float[Math.Max(k, 0)];
        int count = TopKCosineKernel.SelectTopK(scores, k, rows, best, exclude);
        var expected = SortReference(scores, k, exclude);
        Assert.Equal(expected.Length, count);
        Assert.Equal(expected.Select(e => e.Row), rows[..count]);
        Assert.Equal(expected.Select(e => e.Score), best[..count]);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(10, 3)]
    [InlineData(100, 10)]
    [InlineData(1000, 50)]
    [InlineData(7, 7)]
    public void Matches_a_sort_on_random_scores(int rows, int k)
    {
        var rng = new Random(rows * 31 + k);
        float[] scores = [.. Enumerable.Range(0, rows).Select(_ => (float)rng.NextDouble() * 2 - 1)];
        AssertMatchesSort(scores, k);
    }

    [Fact]
    public void Breaks_ties_by_the_lower_row()
    {
        // Quantized scores make many ties, including across the k-th place.
        var rng = new Random(5);
        float[] scores = [.. Enumerable.Range(0, 200).Select(_ => rng.Next(5) / 4f)];
        foreach (int k in new[] { 1, 3, 40, 41, 199 }) AssertMatchesSort(scores, k);
        AssertMatchesSort([1f, 1f, 1f, 1f], 2);
    }

    [Fact]
    public void Returns_every_row_when_k_exceeds_the_row_count()
    {
        float[] scores = [0.1f, 0.9f, -0.5f];
        var rows = new int[10];
        var best = new float[10];
        int count = TopKCosineKernel.SelectTopK(scores, 10, rows, best);
        Assert.Equal(3, count);
        Assert.Equal([1, 0, 2], rows[..3]);
        Assert.Equal([0.9f, 0.1f, -0.5f], best[..3]);
    }

    [Fact]
    public void Skips_excluded_rows_and_nan_scores()
    {
        var rng = new Random(9);
        float[] scores = [.. Enumerable.Range(0, 300).Select(_ => (float)rng.NextDouble())];
        scores[17] = float.NaN;
        scores[42] = 5f;
        AssertMatchesSort(scores, 20, r => r % 3 == 0 || r == 42);
        var rows = new int[1];
        var best = new float[1];
        Assert.Equal(1, TopKCosineKernel.SelectTopK(scores, 1, rows, best, r => r != 42));
        Assert.Equal(42, rows[0]);
        Assert.Equal(5f, best[0]);
    }

    [Fact]
    public void Writes_nothing_for_k_zero_or_no_rows()
    {
        var rows = new int[3];
        var best = new float[3];
        Assert.Equal(0, TopKCosineKernel.SelectTopK([1f, 2f], 0, rows, best));
        Assert.Equal(0, TopKCosineKernel.SelectTopK([], 3, rows, best));
        Assert.Equal(0, TopKCosineKernel.SelectTopK([1f, 2f], 3, rows, best, _ => true));
    }

    [Fact]
    public unsafe void Search_finds_the_nearest_unit_rows()
    {
        using var m = NativeMatrix.Allocate(50, 33, padRows: true);
        var rng = new Random(3);
        for (int r = 0; r < m.Rows; r++)
        {
            Span<float> row = m.Row(r);
            for (int c = 0; c < row.Length; c++) row[c] = (float)(rng.NextDouble() * 2 - 1);
            float norm = MathF.Sqrt(DotKernel.Scalar(row, row));
            for (int c = 0; c < row.Length; c++) row[c] /= norm;
        }
        float[] query = m.Row(7).ToArray();
        var rows = new int[5];
        var best = new float[5];
        Assert.Equal(5, TopKCosineKernel.Search(m.Data, m.Stride, m.Rows, query, 5, rows, best));
        Assert.Equal(7, rows[0]);
        Assert.Equal(1f, best[0], 5);
        var scores = new float[m.Rows];
        TopKCosineKernel.ScoresScalar(m.Data, m.Stride, m.Rows, query, scores);
        var expected = SortReference(scores, 5, null);
        Assert.Equal(expected.Select(e => e.Row), rows);
        var withoutSelf = new int[4];
        Assert.Equal(4, TopKCosineKernel.Search(m.Data, m.Stride, m.Rows, query, 4, withoutSelf, new float[4], r => r == 7));
        Assert.Equal(rows[1..], withoutSelf);
    }
}
