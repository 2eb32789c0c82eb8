using System.Text;

namespace EmbedEngine.Text.Tests;

public sealed class SubwordTableTests
{
    [Fact]
    public void Each_word_lists_its_own_row_then_a_row_per_ngram_bucket_numbered_as_first_met()
    {
        Vocabulary vocabulary = Vocabulary.FromCounts([("ab", 3), ("banana", 2)]);
        var ngrams = new CharacterNgrams(3, 6, 1000);
        SubwordTable table = SubwordTable.Build(vocabulary, ngrams);

        Assert.Equal(2, table.WordCount);
        int[] expected = [vocabulary.IdOf("ab"), 2, 3, 4];
        Assert.Equal(expected, table.Rows(vocabulary.IdOf("ab")).ToArray());
        Assert.Equal([Bucket("<ab"), Bucket("<ab>"), Bucket("ab>")], [table.BucketOfRow(2), table.BucketOfRow(3), table.BucketOfRow(4)]);
        Assert.Equal(3, table.RowOfBucket(Bucket("<ab>")));

        // "<banana>" (8 characters) has 4, 4, 4, 3, 2 and 1 n-grams of 3..6 characters starting at its first six
        // characters; "ana" appears twice and is listed twice, as fastText lists it.
        int[] banana = table.Rows(vocabulary.IdOf("banana")).ToArray();
        Assert.Equal(vocabulary.IdOf("banana"), banana[0]);
        Assert.Equal(1 + 4 + 4 + 4 + 3 + 2 + 1, banana.Length);
        Assert.Equal(2, banana.Count(row => row == table.RowOfBucket(Bucket("ana"))));
        Assert.Equal(banana.Length, table.MaxLength);

        // Only the buckets the two words hit have rows (at most 3 + 20 n-grams; "ana" repeats, hashes may collide).
        int[] touched = [.. Enumerable.Range(0, 1000).Where(b => table.RowOfBucket(b) >= 0)];
        Assert.Equal(table.TouchedBuckets, touched.Length);
        Assert.InRange(touched.Length, 3, 22);
        Assert.Equal(2 + touched.Length, table.InputRows);
        Assert.All(touched, b => Assert.Equal(b, table.BucketOfRow(table.RowOfBucket(b))));
    }

    [Fact]
    public void No_ngrams_means_each_word_has_its_own_row_only()
    {
        Vocabulary vocabulary = Vocabulary.FromCounts([("ab", 3), ("cd", 2)]);
        SubwordTable wordsOnly = SubwordTable.Build(vocabulary, new CharacterNgrams(0, 0, 0));
        Assert.Equal([0], wordsOnly.Rows(0).ToArray());
        Assert.Equal([1], wordsOnly.Rows(1).ToArray());
        Assert.Equal(2, wordsOnly.InputRows);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(7)] // few buckets: n-grams collide and rows repeat often
    public void Adding_g_to_every_listed_row_moves_the_average_by_the_average_shift_times_g(int buckets)
    {
        Vocabulary vocabulary = Vocabulary.FromCounts([("ab", 3), ("banana", 2), ("bananarama", 2)]);
        SubwordTable table = SubwordTable.Build(vocabulary, new CharacterNgrams(3, 6, buckets));
        var random = new Random(5);
        foreach (int id in new[] { 0, 1, 2 })
        {
            int[] rows = table.Rows(id).ToArray();
            double[] values = [.. Enumerable.Range(0, table.InputRows).Select(_ => random.NextDouble() - 0.5)];
            double before = rows.Average(r => values[r]);
            const double g = 0.25;
            foreach (int r in rows) values[r] += g;
            double after = rows.Average(r => values[r]);
            Assert.Equal(after - before, table.AverageShift(id) * g, 6);
        }
        if (buckets == 1000)
        {
            Assert.Equal(1f, table.AverageShift(vocabulary.IdOf("ab"))); // three distinct n-gram rows
            Assert.True(table.AverageShift(vocabulary.IdOf("banana")) > 1f); // "ana" is listed twice
        }
    }

    private static int Bucket(string ngram, int buckets = 1000) =>
        (int)(FastTextHash.Compute(Encoding.UTF8.GetBytes(ngram)) % (uint)buckets);
}
