namespace EmbedEngine.Text.Tests;

public class SentenceReaderTests
{
    private static readonly Vocabulary AbcVocabulary = Vocabulary.FromCounts([("a", 3), ("b", 2), ("c", 1)]);

    [Fact]
    public void Lines_become_sentences_of_ids_without_unknown_words()
    {
        using var corpus = TempCorpus.FromText("a x b\n\nc c\r\nunknown words only\nb");
        using var reader = new SentenceReader(corpus.Path, AbcVocabulary);

        Assert.Equal(["0 1 / 3", "2 2 / 2", " / 3", "1 / 1"], ReadAll(reader, 1000));
        Assert.Equal(reader.Length, reader.Position);
    }

    [Fact]
    public void Long_lines_continue_in_the_next_sentence()
    {
        using var corpus = TempCorpus.FromText("a b x c a b c a\na b c\nc");
        using var reader = new SentenceReader(corpus.Path, AbcVocabulary, maxSentenceLength: 3);

        // The second line holds exactly 3 words: its line break must not become an empty sentence.
        Assert.Equal(["0 1 2 / 4", "0 1 2 / 3", "0 / 1", "0 1 2 / 3", "2 / 1"], ReadAll(reader, 1000));
    }

    [Fact]
    public void A_small_span_limits_the_sentence_too()
    {
        using var corpus = TempCorpus.FromText("a b c a");
        using var reader = new SentenceReader(corpus.Path, AbcVocabulary);

        Assert.Equal(["0 1 / 2", "2 0 / 2"], ReadAll(reader, 2));
    }

    [Fact]
    public void Tokens_read_add_up_to_the_corpus_token_count()
    {
        byte[] text = CorpusTokens.RandomCorpus(seed: 9, tokens: 10_000);
        using var corpus = TempCorpus.FromBytes(text);
        Vocabulary vocabulary = Vocabulary.Build(corpus.Path, minCount: 3);
        using var reader = new SentenceReader(corpus.Path, vocabulary, maxSentenceLength: 7);

        long tokens = 0;
        long ids = 0;
        var buffer = new int[7];
        int count;
        while ((count = reader.Read(buffer, out int tokensRead)) >= 0)
        {
            Assert.True(tokensRead > 0);
            tokens += tokensRead;
            ids += count;
        }
        Assert.Equal(vocabulary.TotalTokens, tokens);
        Assert.Equal(vocabulary.TotalWords, ids);
        Assert.Equal(vocabulary.InvalidSequences, reader.InvalidSequences);
    }

    [Fact]
    public void Sharded_readers_together_read_every_word_once()
    {
        byte[] text = CorpusTokens.RandomCorpus(seed: 13, tokens: 5_000);
        using var corpus = TempCorpus.FromBytes(text);
        Vocabulary vocabulary = Vocabulary.Build(corpus.Path, minCount: 1);

        long tokens = 0;
        var buffer = new int[1000];
        for (int shard = 0; shard < 4; shard++)
        {
            using var reader = new SentenceReader(corpus.Path, vocabulary, 1000, shard, 4);
            while (reader.Read(buffer, out int tokensRead) >= 0) tokens += tokensRead;
        }
        Assert.Equal(vocabulary.TotalTokens, tokens);
    }

    [Fact]
    public void Empty_corpus_ends_at_once()
    {
        using var corpus = TempCorpus.FromText("\n \n");
        using var reader = new SentenceReader(corpus.Path, AbcVocabulary);

        Assert.Equal(-1, reader.Read(new int[10], out int tokensRead));
        Assert.Equal(0, tokensRead);
    }

    /// <summary>Each sentence as "ids / tokensRead".</summary>
    private static List<string> ReadAll(SentenceReader reader, int bufferLength)
    {
        var sentences = new List<string>();
        var buffer = new int[bufferLength];
        int count;
        while ((count = reader.Read(buffer, out int tokensRead)) >= 0)
            sentences.Add($"{string.Join(' ', buffer[..count])} / {tokensRead}");
        Assert.Equal(-1, reader.Read(buffer, out _));
        return sentences;
    }
}
