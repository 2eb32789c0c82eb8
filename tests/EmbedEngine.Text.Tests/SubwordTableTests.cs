using System.Text;

namespace EmbedEngine.Text.Tests;

public sealed class SubwordTableTests
{
    [Fact]
    public void Each_word_lists_its_own_row_then_its_ngram_buckets_after_the_words()
    {
        Vocabulary vocabulary = Vocabulary.FromCounts([("ab", 3), ("banana", 2)]);
        var ngrams = new CharacterNgrams(3, 6, 1000);
        SubwordTable table = SubwordTable.Build(vocabulary, ngrams);

        Assert.Equal(2, table.WordCount);
        Assert.Equal(1002, table.InputRows);
        int[] expected = [vocabulary.IdOf("ab"), 2 + Bucket("<ab"), 2 + Bucket("<ab>"), 2 + Bucket("ab>")];
        Assert.Equal(expected, table.Rows(vocabulary.IdOf("ab")).ToArray());

        // "<banana>" (8 characters) has 4, 4, 4, 3, 2 and 1 n-grams of 3..6 characters starting at its first six
        // characters; "ana" appears twice and is listed twice, as fastText lists it.
        int[] banana = table.Rows(vocabulary.IdOf("banana")).ToArray();
        Assert.Equal(vocabulary.IdOf("banana"), banana[0]);
        Assert.Equal(1 + 4 + 4 + 4 + 3 + 2 + 1, banana.Length);
        Assert.Equal(2, banana.Count(row => row == 2 + Bucket("ana")));
        Assert.Equal(banana.Length, table.MaxLength);
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

    private static int Bucket(string ngram, int buckets = 1000) =>
        (int)(FastTextHash.Compute(Encoding.UTF8.GetBytes(ngram)) % (uint)buckets);
}
