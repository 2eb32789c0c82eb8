using EmbedEngine.Kernels;
using EmbedEngine.Models.Count;
using EmbedEngine.Text;

namespace EmbedEngine.Models.Tests;

public sealed class PpmiTests
{
    private static (CsrMatrix Counts, Vocabulary Vocabulary) Count(string text, CooccurrenceOptions options)
    {
        string path = Path.Combine(Path.GetTempPath(), $"embed-ppmi-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, text);
        try
        {
            Vocabulary vocabulary = Vocabulary.Build(path, minCount: 1);
            return (CooccurrenceCounter.Count(path, vocabulary, options), vocabulary);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Two_words_seen_once_together_have_pmi_log_2()
    {
        // #(a,b) = #(b,a) = 1, every row and column sums to 1, so P_α(c) = ½ for any α: PMI = log(1 / (1·½)).
        var (counts, vocabulary) = Count("a b\n", new CooccurrenceOptions { Window = 1, DistanceWeighting = false });
        CsrMatrix ppmi = Ppmi.Compute(counts, new PpmiOptions());
        int a = vocabulary.IdOf("a"), b = vocabulary.IdOf("b");
        Assert.Equal(Math.Log(2), ppmi.Get(a, b), 6);
        Assert.Equal(Math.Log(2), ppmi.Get(b, a), 6);
        Assert.Equal(0f, ppmi.Get(a, a));
        Assert.Equal(2, ppmi.NonZeros);
        // Shifting by k = 2 subtracts log 2: nothing stays positive.
        Assert.Equal(0, Ppmi.Compute(counts, new PpmiOptions { Shift = 2 }).NonZeros);
    }

    [Theory]
    [InlineData(0.75, 1)]
    [InlineData(1.0, 1)]
    [InlineData(0.75, 1.5)]
    public void Every_entry_matches_a_brute_force_computation(double smoothing, double shift)
    {
        var (counts, _) = Count("the cat sat on the mat\nthe dog sat on the log\na cat and a dog\nthe cat saw the dog on the mat\n",
            new CooccurrenceOptions { Window = 3 });
        int n = counts.Rows;
        var dense = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                dense[i, j] = counts.Get(i, j);
        var rowSums = new double[n];
        var columnSums = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                rowSums[i] += dense[i, j];
                columnSums[j] += dense[i, j];
            }
        double smoothedTotal = columnSums.Sum(c => Math.Pow(c, smoothing));

        CsrMatrix ppmi = Ppmi.Compute(counts, new PpmiOptions { ContextSmoothing = smoothing, Shift = shift });

        int positive = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double expected = 0;
                if (dense[i, j] > 0)
                {
                    double pContext = Math.Pow(columnSums[j], smoothing) / smoothedTotal;
                    expected = Math.Max(0, Math.Log(dense[i, j] / (rowSums[i] * pContext)) - Math.Log(shift));
                }
                if (expected > 0) positive++;
                Assert.Equal(expected, ppmi.Get(i, j), 5);
            }
        Assert.Equal(positive, ppmi.NonZeros);
        Assert.True(positive > 10, $"only {positive} positive entries: the corpus tests too little");
    }

    [Fact]
    public void Transpose_and_row_norms_agree_with_the_entries()
    {
        var (counts, _) = Count("x y z x y\nz z y x\n", new CooccurrenceOptions { Window = 2, Symmetric = false });
        CsrMatrix ppmi = Ppmi.Compute(counts, new PpmiOptions { ContextSmoothing = 1 });
        CsrMatrix transposed = ppmi.Transpose();
        float[] norms = ppmi.RowNorms();
        for (int i = 0; i < ppmi.Rows; i++)
        {
            double squares = 0;
            for (int j = 0; j < ppmi.Columns; j++)
            {
                Assert.Equal(ppmi.Get(i, j), transposed.Get(j, i));
                squares += (double)ppmi.Get(i, j) * ppmi.Get(i, j);
            }
            Assert.Equal(Math.Sqrt(squares), norms[i], 5);
        }
    }

    [Theory]
    [InlineData(0.0, 1.0, "context-distribution smoothing (cds) must be in (0, 1], not 0")]
    [InlineData(1.5, 1.0, "context-distribution smoothing (cds) must be in (0, 1], not 1.5")]
    [InlineData(0.75, 0.5, "the PMI shift must be a finite number of at least 1 (1: no shift), not 0.5")]
    [InlineData(0.75, double.NaN, "the PMI shift must be a finite number of at least 1 (1: no shift), not NaN")]
    public void Bad_options_are_rejected_with_a_message(double smoothing, double shift, string message)
    {
        var options = new PpmiOptions { ContextSmoothing = smoothing, Shift = shift };
        Assert.Equal(message, Assert.Throws<ArgumentException>(options.Validate).Message);
    }

    [Fact]
    public void A_matrix_that_is_not_square_is_rejected()
    {
        var counts = new CsrMatrix(3, [0, 1, 2], [0, 2], [1f, 2f]);
        var error = Assert.Throws<ArgumentException>(() => Ppmi.Compute(counts, new PpmiOptions()));
        Assert.Contains("2 × 3", error.Message);
    }
}
