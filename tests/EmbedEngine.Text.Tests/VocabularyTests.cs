using System.Text;

namespace EmbedEngine.Text.Tests;

public class VocabularyTests
{
    [Fact]
    public void Ids_follow_descending_frequency_then_ordinal_bytes()
    {
        // cat, z, é and b tie at 2: ordinal UTF-8 order puts "b" before "cat" before "z" (7A) before "é" (C3 A9).
        using var corpus = TempCorpus.FromText("the cat é the\nz b the cat\n\n z é b once");

        Vocabulary vocabulary = Vocabulary.Build(corpus.Path, minCount: 1);

        Assert.Equal(["the", "b", "cat", "z", "é", "once"], vocabulary.Words);
        Assert.Equal([3L, 2, 2, 2, 2, 1], Enumerable.Range(0, vocabulary.Count).Select(vocabulary.Frequency));
        Assert.Equal("é", vocabulary[4]);
        Assert.Equal(12, vocabulary.TotalWords);
        Assert.Equal(12, vocabulary.TotalTokens);
        Assert.Equal(0, vocabulary.InvalidSequences);
    }

    [Fact]
    public void Min_count_then_max_size_limit_the_words_kept()
    {
        using var corpus = TempCorpus.FromText("a a a a b b b c c d e e e e e");

        Vocabulary atLeastTwo = Vocabulary.Build(corpus.Path, minCount: 2);
        Vocabulary topTwo = Vocabulary.Build(corpus.Path, minCount: 2, maxSize: 2);

        Assert.Equal(["e", "a", "b", "c"], atLeastTwo.Words);
        Assert.Equal(14, atLeastTwo.TotalWords);
        Assert.Equal(15, atLeastTwo.TotalTokens);
        Assert.Equal(["e", "a"], topTwo.Words);
        Assert.Equal(9, topTwo.TotalWords);
        Assert.Equal(15, topTwo.TotalTokens);
    }

    [Fact]
    public void Try_get_id_finds_present_words_only()
    {
        Vocabulary vocabulary = Vocabulary.FromCounts([("apple", 5), ("app", 3), ("日本", 2)]);

        Assert.True(vocabulary.TryGetId("apple"u8, out int apple));
        Assert.Equal(0, apple);
        Assert.True(vocabulary.TryGetId("日本"u8, out int japan));
        Assert.Equal(2, japan);
        Assert.False(vocabulary.TryGetId("appl"u8, out int absent));
        Assert.Equal(-1, absent);
        Assert.False(vocabulary.TryGetId("apples"u8, out _));
        Assert.False(vocabulary.TryGetId("Apple"u8, out _));
        Assert.False(vocabulary.TryGetId([], out _));
        Assert.Equal(1, vocabulary.IdOf("app"));
        Assert.Equal(-1, vocabulary.IdOf("pear"));
        Assert.Equal(-1, vocabulary.IdOf(new string('x', 500))); // longer than the stack buffer
    }

    [Fact]
    public void Try_get_id_finds_every_word_of_a_large_vocabulary()
    {
        var counts = Enumerable.Range(0, 50_000).Select(i => ($"w{i}", (long)(i % 97 + 1))).ToList();

        Vocabulary vocabulary = Vocabulary.FromCounts(counts);

        Assert.Equal(50_000, vocabulary.Count);
        foreach ((string word, long count) in counts)
        {
            Assert.True(vocabulary.TryGetId(Encoding.UTF8.GetBytes(word), out int id));
            Assert.Equal(word, vocabulary[id]);
            Assert.Equal(count, vocabulary.Frequency(id));
        }
        Assert.False(vocabulary.TryGetId("w50000"u8, out _));
    }

    [Fact]
    public void Invalid_utf8_is_counted_as_replacement_characters()
    {
        // Thirty clean tokens keep the three bad sequences below the share that marks a binary file.
        byte[] clean = [.. Enumerable.Repeat("ok "u8.ToArray(), 30).SelectMany(b => b)];
        using var corpus = TempCorpus.FromBytes([.. clean, (byte)'a', 0xFF, (byte)' ', (byte)'a', 0xFE, (byte)'\n', 0xC3]);

        Vocabulary vocabulary = Vocabulary.Build(corpus.Path, minCount: 1);

        Assert.Equal(["ok", "a\uFFFD", "\uFFFD"], vocabulary.Words);
        Assert.Equal(2, vocabulary.Frequency(1));
        Assert.Equal(3, vocabulary.InvalidSequences);
    }

    [Fact]
    public void Binary_junk_is_refused_as_not_text()
    {
        var junk = new byte[100_000];
        new Random(9).NextBytes(junk);
        using var corpus = TempCorpus.FromBytes(junk);

        var error = Assert.Throws<CorpusException>(() => Vocabulary.Build(corpus.Path, minCount: 1));

        Assert.Contains("does not look like UTF-8 text", error.Message);
        Assert.Contains(corpus.Path, error.Message);
    }

    [Fact]
    public void Gzip_corpus_gives_the_same_vocabulary_as_plain()
    {
        byte[] text = CorpusTokens.RandomCorpus(seed: 5, tokens: 5_000);
        using var plain = TempCorpus.FromBytes(text);
        using var gzip = TempCorpus.Gzipped(text);

        Vocabulary expected = Vocabulary.Build(plain.Path, minCount: 2);
        Vocabulary actual = Vocabulary.Build(gzip.Path, minCount: 2);

        Assert.Equal(expected.Words, actual.Words);
        Assert.Equal(expected.TotalWords, actual.TotalWords);
        Assert.Equal(expected.InvalidSequences, actual.InvalidSequences);
    }

    [Fact]
    public void Progress_reports_end_at_the_file_length()
    {
        using var corpus = TempCorpus.FromText(string.Join(' ', Enumerable.Repeat("token", 200_000)));
        var reports = new List<long>();

        Vocabulary.Build(corpus.Path, minCount: 1, bytesRead: new SynchronousProgress(reports.Add));

        Assert.Equal(new FileInfo(corpus.Path).Length, reports[^1]);
        Assert.Equal(reports.Order(), reports);
    }

    [Fact]
    public void Pruning_keeps_memory_bounded_and_frequent_words_exact()
    {
        // Frequent words recur on every line; 3000 singletons push a 100-word table over its limit many times.
        var text = new StringBuilder();
        for (int line = 0; line < 3000; line++) text.Append($"common{line % 3} rare{line} common{line % 3} often\n");
        using var corpus = TempCorpus.FromText(text.ToString());
        var counter = new WordCounter(maxDistinctWords: 100);

        Vocabulary vocabulary = Vocabulary.Build(corpus.Path, 1, 0, null, counter);

        Assert.True(counter.PrunedBelow > 1);
        Assert.True(counter.Table.Count <= 100);
        Assert.Equal(12_000, vocabulary.TotalTokens);
        Assert.Equal("often", vocabulary[0]);
        Assert.Equal(3000, vocabulary.Frequency(0));
        Assert.Equal(2000, vocabulary.Frequency(vocabulary.IdOf("common0")));
        Assert.True(vocabulary.Count < 100);
    }

    [Fact]
    public void Empty_file_throws_empty()
    {
        using var corpus = TempCorpus.FromText("");

        var error = Assert.Throws<CorpusException>(() => Vocabulary.Build(corpus.Path, 5));
        Assert.Equal($"corpus '{corpus.Path}' is empty", error.Message);
    }

    [Fact]
    public void Whitespace_only_file_throws_empty()
    {
        using var corpus = TempCorpus.FromText("  \n\t\r\n ");

        var error = Assert.Throws<CorpusException>(() => Vocabulary.Build(corpus.Path, 5));
        Assert.Contains($"corpus '{corpus.Path}' is empty", error.Message);
        Assert.Contains("only whitespace", error.Message);
    }

    [Fact]
    public void No_word_reaching_min_count_throws_with_the_number_of_distinct_words()
    {
        using var corpus = TempCorpus.FromText("a b c d a b c a b a");

        var error = Assert.Throws<CorpusException>(() => Vocabulary.Build(corpus.Path, 5));
        Assert.Equal($"no word occurs at least 5 times in '{corpus.Path}' (4 distinct words)", error.Message);
    }

    [Fact]
    public void Missing_corpus_throws_not_found()
    {
        string path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.txt.gz");

        var error = Assert.Throws<CorpusException>(() => Vocabulary.Build(path, 1));
        Assert.Equal($"corpus '{path}' not found", error.Message);
    }

    [Fact]
    public void From_counts_applies_min_count_and_max_size()
    {
        Vocabulary vocabulary = Vocabulary.FromCounts([("x", 1), ("y", 10), ("z", 4), ("w", 4), ("zero", 0)],
            minCount: 2, maxSize: 2);

        Assert.Equal(["y", "w"], vocabulary.Words);
        Assert.Equal(14, vocabulary.TotalWords);
        Assert.Equal(19, vocabulary.TotalTokens);
    }

    [Fact]
    public void From_counts_rejects_unusable_input()
    {
        Assert.Throws<ArgumentException>(() => Vocabulary.FromCounts([("a", 1), ("a", 2)]));
        Assert.Throws<ArgumentException>(() => Vocabulary.FromCounts([("a b", 1)]));
        Assert.Throws<ArgumentException>(() => Vocabulary.FromCounts([("", 1)]));
        Assert.Throws<ArgumentException>(() => Vocabulary.FromCounts([("a", -1)]));
        Assert.Throws<ArgumentException>(() => Vocabulary.FromCounts([("a", 1)], minCount: 2));
    }

    /// <summary>Reports on the calling thread, unlike <see cref="Progress{T}"/>, so the test sees every report at once.</summary>
    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
