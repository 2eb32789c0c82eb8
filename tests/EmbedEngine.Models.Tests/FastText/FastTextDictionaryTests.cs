using EmbedEngine.Models.FastText;
using EmbedEngine.Text;

namespace EmbedEngine.Models.Tests.FastText;

/// <summary>The dictionary a trainer hands over, and what it refuses.</summary>
public sealed class FastTextDictionaryTests
{
    [Fact]
    public void From_a_vocabulary_keeps_its_order_counts_and_token_total()
    {
        using var folder = new ScratchFolder();
        string corpus = folder.File("corpus.txt");
        File.WriteAllText(corpus, "b a b c b a\nb a d\n");
        Vocabulary vocabulary = Vocabulary.Build(corpus, minCount: 2);
        FastTextDictionary dictionary = FastTextDictionary.FromVocabulary(vocabulary);
        Assert.Equal(vocabulary.Words, dictionary.Entries);
        Assert.Equal(Enumerable.Range(0, vocabulary.Count).Select(vocabulary.Frequency),
            Enumerable.Range(0, dictionary.Entries.Count).Select(dictionary.Count));
        Assert.Equal(vocabulary.TotalTokens, dictionary.TokenCount);
        Assert.Equal((vocabulary.Count, 0), (dictionary.WordCount, dictionary.LabelCount));
        Assert.Equal(1, dictionary.IdOf("a"));
        Assert.Equal(-1, dictionary.IdOf("d"));
    }

    [Theory]
    [InlineData(new[] { "a", "a" }, new long[] { 1, 1 }, new[] { 0, 0 }, "'a' occurs twice")]
    [InlineData(new[] { "a", "b" }, new long[] { 1, -1 }, new[] { 0, 0 }, "count -1 of 'b' is negative")]
    [InlineData(new[] { "__label__x", "b" }, new long[] { 1, 1 }, new[] { 1, 0 }, "'b' follows a label")]
    public void Inconsistent_entries_are_refused(string[] entries, long[] counts, int[] types, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new FastTextDictionary(entries, counts, types.Select(t => (FastTextEntryType)t).ToArray(), tokenCount: 2));
        Assert.Contains(expected, error.Message);
    }
}
