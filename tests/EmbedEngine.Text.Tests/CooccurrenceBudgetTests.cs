using EmbedEngine.Kernels;
using System.Text;

namespace EmbedEngine.Text.Tests;

/// <summary>Counting within a memory budget: spilling sorted runs to disk must not change the matrix.</summary>
public class CooccurrenceBudgetTests
{
    [Fact]
    public void A_quarter_of_the_memory_the_tables_need_gives_the_identical_matrix_in_memory_and_on_disk()
    {
        using var corpus = TempCorpus.FromText(ZipfCorpus(seed: 11, tokens: 150_000, words: 20_000));
        Vocabulary vocabulary = Vocabulary.Build(corpus.Path, minCount: 1);
        var unlimited = new CooccurrenceOptions();
        (CsrMatrix inMemory, CooccurrenceStatistics needed) =
            CooccurrenceCounter.CountInMemory(corpus.Path, vocabulary, unlimited, layout: null);
        Assert.Equal(0, needed.SpilledRuns);

        long quarter = needed.PeakTableBytes / 4;
        Assert.True(quarter >= CooccurrenceCounter.MinimumMemoryBytes(1), $"the corpus needs only {needed.PeakTableBytes} bytes of tables");
        var budgeted = unlimited with { MemoryBytes = quarter };
        (CsrMatrix spilled, CooccurrenceStatistics statistics) =
            CooccurrenceCounter.CountInMemory(corpus.Path, vocabulary, budgeted, layout: null);

        Assert.True(statistics.SpilledRuns >= 2, $"{statistics.SpilledRuns} runs spilled");
        Assert.True(statistics.PeakTableBytes <= quarter, $"tables reached {statistics.PeakTableBytes} of a {quarter}-byte budget");
        AssertIdentical(inMemory, spilled);

        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "counts.cooc");
        CooccurrenceStatistics streamed = CooccurrenceCounter.CountToFile(corpus.Path, vocabulary, budgeted, path);
        Assert.True(streamed.SpilledRuns >= 2);
        Assert.Equal(inMemory.NonZeros, streamed.NonZeros);
        AssertIdentical(inMemory, CooccurrenceFile.Load(path));
    }

    [Fact]
    public void Spilled_runs_are_removed_when_counting_ends()
    {
        using var corpus = TempCorpus.FromText(ZipfCorpus(seed: 3, tokens: 5_000, words: 500));
        Vocabulary vocabulary = Vocabulary.Build(corpus.Path, minCount: 1);
        using var folder = new TempFolder();
        var options = new CooccurrenceOptions { TemporaryFolder = folder.Path, Threads = 2 };

        (_, CooccurrenceStatistics statistics) = CooccurrenceCounter.CountInMemory(corpus.Path, vocabulary, options, new CountingLayout(1024, 2000));

        Assert.True(statistics.SpilledRuns > 0);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void A_budget_too_small_for_one_block_per_thread_is_refused(int threads)
    {
        long minimum = CooccurrenceCounter.MinimumMemoryBytes(threads);
        var options = new CooccurrenceOptions { Threads = threads, MemoryBytes = minimum - 1 };

        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("cannot hold one block", error.Message);
        (options with { MemoryBytes = minimum }).Validate();
        Assert.True(CooccurrenceCounter.MinimumMemoryBytes(4) > CooccurrenceCounter.MinimumMemoryBytes(1));
    }

    [Fact]
    public void A_vocabulary_whose_row_index_eats_the_budget_is_refused()
    {
        var words = Enumerable.Range(0, 200_000).Select(i => ($"w{i}", 1L));
        Vocabulary vocabulary = Vocabulary.FromCounts([.. words]);
        using var corpus = TempCorpus.FromText("w1 w2 w3");
        var options = new CooccurrenceOptions { MemoryBytes = CooccurrenceCounter.MinimumMemoryBytes(1) };

        var error = Assert.Throws<ArgumentException>(() => CooccurrenceCounter.Count(corpus.Path, vocabulary, options));
        Assert.Contains("cannot hold one block", error.Message);
    }

    [Fact]
    public void A_missing_temporary_folder_is_a_corpus_error_naming_it()
    {
        using var corpus = TempCorpus.FromText("a b c");
        Vocabulary vocabulary = Vocabulary.FromCounts([("a", 1), ("b", 1), ("c", 1)]);
        string missing = Path.Combine(Path.GetTempPath(), $"embedengine-missing-{Guid.NewGuid():N}", "deeper");
        // Creating the scratch folder creates its parents, so make one parent a file instead.
        string blocker = Path.GetDirectoryName(missing)!;
        File.WriteAllText(blocker, "not a folder");
        try
        {
            var options = new CooccurrenceOptions { TemporaryFolder = missing };
            var error = Assert.Throws<CorpusException>(() => CooccurrenceCounter.Count(corpus.Path, vocabulary, options));
            Assert.Contains(missing, error.Message);
        }
        finally
        {
            File.Delete(blocker);
        }
    }

    [Fact]
    public void Cancelling_writes_no_file()
    {
        using var corpus = TempCorpus.FromText(ZipfCorpus(seed: 4, tokens: 5_000, words: 500));
        Vocabulary vocabulary = Vocabulary.Build(corpus.Path, minCount: 1);
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "counts.cooc");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            CooccurrenceCounter.CountToFile(corpus.Path, vocabulary, new CooccurrenceOptions(), path, cancellation: cancelled.Token));
        Assert.False(File.Exists(path));
    }

    private static void AssertIdentical(CsrMatrix expected, CsrMatrix actual)
    {
        Assert.Equal(expected.Rows, actual.Rows);
        Assert.Equal(expected.NonZeros, actual.NonZeros);
        Assert.True(expected.RowStarts.SequenceEqual(actual.RowStarts));
        Assert.True(expected.ColumnIndices.SequenceEqual(actual.ColumnIndices));
        Assert.True(expected.Values.SequenceEqual(actual.Values));
    }

    /// <summary>Lines of 3 to 30 words drawn from a Zipf distribution (exponent 1) over <paramref name="words"/> words.</summary>
    private static string ZipfCorpus(int seed, int tokens, int words)
    {
        var cumulative = new double[words];
        double total = 0;
        for (int rank = 0; rank < words; rank++) cumulative[rank] = total += 1.0 / (rank + 1);
        var random = new Random(seed);
        var text = new StringBuilder();
        int lineLeft = 0;
        for (int i = 0; i < tokens; i++)
        {
            int index = Array.BinarySearch(cumulative, random.NextDouble() * total);
            text.Append('w').Append(index < 0 ? ~index : index);
            if (lineLeft-- <= 0)
            {
                text.Append('\n');
                lineLeft = random.Next(3, 30);
            }
            else
            {
                text.Append(' ');
            }
        }
        return text.ToString();
    }
}
