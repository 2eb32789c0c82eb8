using System.Text;
using static EmbedEngine.Text.Tests.CorpusTokens;

namespace EmbedEngine.Text.Tests;

public class CorpusReaderTests
{
    [Fact]
    public void Splits_on_every_ascii_whitespace_and_ends_sentences_at_line_feeds()
    {
        using var corpus = TempCorpus.FromText("the  quick\tbrown\vfox\fjumps\r\nover the\rlazy dog");

        Assert.Equal(
            ["the", "quick", "brown", "fox", "jumps", LineBreak, "over", "the", "lazy", "dog", LineBreak],
            ReadAll(corpus.Path));
    }

    [Fact]
    public void Blank_and_whitespace_only_lines_give_no_line_breaks()
    {
        using var corpus = TempCorpus.FromText("\n\n  a b\n\n \t \r\n\nc\n\n");

        Assert.Equal(["a", "b", LineBreak, "c", LineBreak], ReadAll(corpus.Path));
    }

    [Fact]
    public void Non_ascii_whitespace_is_part_of_a_token()
    {
        // U+00A0 (no-break space) and U+3000 (ideographic space) do not separate, as in word2vec.c.
        using var corpus = TempCorpus.FromText("a\u00A0b c\u3000d");

        Assert.Equal(["a\u00A0b", "c\u3000d", LineBreak], ReadAll(corpus.Path));
    }

    [Fact]
    public void Leading_byte_order_mark_is_skipped()
    {
        using var corpus = TempCorpus.FromBytes([0xEF, 0xBB, 0xBF, .. "hello world"u8]);

        Assert.Equal(["hello", "world", LineBreak], ReadAll(corpus.Path));
    }

    [Fact]
    public void Long_tokens_are_cut_to_max_token_bytes_at_a_character_boundary()
    {
        string ascii = new('a', 150);
        string exact = new string('b', 98) + "é";          // 100 bytes: fits
        string straddling = new string('c', 99) + "é";     // 101 bytes: é would straddle the limit
        string emoji = new string('d', 97) + "🙂🙂";       // 105 bytes: the first emoji ends at byte 101
        using var corpus = TempCorpus.FromText($"{ascii} {exact}\n{straddling} {emoji} short");

        Assert.Equal(
            [new string('a', 100), exact, LineBreak, new string('c', 99), new string('d', 97), "short", LineBreak],
            ReadAll(corpus.Path));
    }

    [Fact]
    public void Gzip_is_detected_by_magic_bytes_and_gives_the_same_tokens_as_plain()
    {
        byte[] text = RandomCorpus(seed: 1, tokens: 20_000);
        using var plain = TempCorpus.FromBytes(text, ".gz"); // the name lies; the content decides
        using var gzip = TempCorpus.Gzipped(text, ".txt");

        List<string> expected = ReadAll(plain.Path);
        using CorpusReader reader = CorpusReader.Open(gzip.Path);
        List<string> actual = ReadAll(reader);

        Assert.Equal(expected, actual);
        Assert.Equal(new FileInfo(gzip.Path).Length, reader.Length);
        Assert.Equal(reader.Length, reader.Position);
        Assert.True(reader.InvalidSequences > 0);
    }

    [Fact]
    public void Concatenated_gzip_members_are_read_as_one_stream()
    {
        // `cat a.gz b.gz > c.gz` is a valid gzip file, common for corpora assembled from parts.
        byte[] joined = [.. TempCorpus.Gzip("one two\n"u8.ToArray()), .. TempCorpus.Gzip("three\n"u8.ToArray())];
        using var corpus = TempCorpus.FromBytes(joined);

        Assert.Equal(["one", "two", LineBreak, "three", LineBreak], ReadAll(corpus.Path));
    }

    [Fact]
    public void Corrupt_gzip_throws_corpus_exception_naming_the_file()
    {
        byte[] compressed = TempCorpus.Gzip(Encoding.UTF8.GetBytes(string.Join(' ', Enumerable.Range(0, 5000))));
        for (int i = 10; i < compressed.Length - 8; i++) compressed[i] ^= 0x5A;
        using var corpus = TempCorpus.FromBytes(compressed);

        var error = Assert.Throws<CorpusException>(() => ReadAll(corpus.Path));
        Assert.Contains(corpus.Path, error.Message);
        Assert.Contains("gzip", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'a', 0xFF, (byte)'b' }, "a\uFFFDb", 1)]            // byte that is never UTF-8
    [InlineData(new byte[] { 0xC3, 0x28 }, "\uFFFD(", 1)]                             // lead byte without continuation
    [InlineData(new byte[] { (byte)'x', 0xE2, 0x82 }, "x\uFFFD", 1)]                  // multi-byte cut by the end of file
    [InlineData(new byte[] { 0xC0, 0xAF }, "\uFFFD\uFFFD", 2)]                        // overlong '/'
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, "\uFFFD\uFFFD\uFFFD", 3)]            // UTF-16 surrogate
    [InlineData(new byte[] { 0x80, (byte)'z' }, "\uFFFDz", 1)]                        // stray continuation byte
    public void Invalid_utf8_is_replaced_and_counted(byte[] content, string expected, int invalid)
    {
        using var corpus = TempCorpus.FromBytes(content);
        using CorpusReader reader = CorpusReader.Open(corpus.Path);

        Assert.Equal([expected, LineBreak], ReadAll(reader));
        Assert.Equal(invalid, reader.InvalidSequences);
    }

    [Fact]
    public void Truncated_multibyte_sequence_before_a_separator_is_one_replacement()
    {
        using var corpus = TempCorpus.FromBytes([(byte)'o', (byte)'k', 0xF0, 0x9F, 0x99, (byte)' ', (byte)'n', (byte)'e', (byte)'x', (byte)'t']);
        using CorpusReader reader = CorpusReader.Open(corpus.Path);

        Assert.Equal(["ok\uFFFD", "next", LineBreak], ReadAll(reader));
        Assert.Equal(1, reader.InvalidSequences);
    }

    [Fact]
    public void Replacement_that_would_cross_the_length_limit_is_dropped_with_the_rest()
    {
        // 98 bytes + U+FFFD (3 bytes) is over 100: the token is cut before it, so nothing was replaced.
        using var corpus = TempCorpus.FromBytes([.. Enumerable.Repeat((byte)'a', 98), 0xFF, (byte)'b']);
        using CorpusReader reader = CorpusReader.Open(corpus.Path);

        Assert.Equal([new string('a', 98), LineBreak], ReadAll(reader));
        Assert.Equal(0, reader.InvalidSequences);
    }

    [Fact]
    public void Token_split_across_buffer_boundary_is_read_whole()
    {
        using var corpus = TempCorpus.FromText("ab cdefgh ijklmnopqrstuvwxyz é日本🙂x");

        // A 4-byte buffer cuts nearly every token, and every multi-byte character somewhere.
        Assert.Equal(["ab", "cdefgh", "ijklmnopqrstuvwxyz", "é日本🙂x", LineBreak], ReadAll(corpus.Path, bufferBytes: 4));
    }

    [Fact]
    public void Any_buffer_size_gives_the_same_tokens_and_invalid_count()
    {
        byte[] text = RandomCorpus(seed: 7, tokens: 3_000);
        using var corpus = TempCorpus.FromBytes(text);
        using CorpusReader reference = CorpusReader.Open(corpus.Path);
        List<string> expected = ReadAll(reference);

        foreach (int bufferBytes in new[] { 4, 5, 7, 16, 63, 101, 104, 4096 })
        {
            using CorpusReader reader = CorpusReader.Open(corpus.Path, 0, 1, bufferBytes);
            Assert.Equal(expected, ReadAll(reader));
            Assert.Equal(reference.InvalidSequences, reader.InvalidSequences);
        }
    }

    [Fact]
    public void Long_token_across_many_buffers_is_cut_like_any_other()
    {
        string huge = new('x', 10_000);
        using var corpus = TempCorpus.FromText($"a {huge} b");

        Assert.Equal(["a", new string('x', 100), "b", LineBreak], ReadAll(corpus.Path, bufferBytes: 16));
    }

    [Fact]
    public void Position_reaches_length_at_the_end()
    {
        using var corpus = TempCorpus.FromText(string.Join(' ', Enumerable.Repeat("word", 1000)));
        using CorpusReader reader = CorpusReader.Open(corpus.Path, 0, 1, bufferBytes: 64);

        Assert.Equal(5000 - 1, reader.Length);
        Assert.True(reader.Position < reader.Length);
        ReadAll(reader);
        Assert.Equal(reader.Length, reader.Position);
    }

    [Fact]
    public void Empty_and_whitespace_only_files_have_no_tokens()
    {
        using var empty = TempCorpus.FromText("");
        using var blank = TempCorpus.FromText(" \n\t\r\n\n");

        Assert.Empty(ReadAll(empty.Path));
        Assert.Empty(ReadAll(blank.Path));
    }

    [Fact]
    public void Missing_file_throws_corpus_exception_naming_it()
    {
        string path = Path.Combine(Path.GetTempPath(), $"no-such-corpus-{Guid.NewGuid():N}.txt");

        var error = Assert.Throws<CorpusException>(() => CorpusReader.Open(path));
        Assert.Equal($"corpus '{path}' not found", error.Message);
    }

    [Fact]
    public void Missing_folder_throws_corpus_exception_naming_the_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"no-such-folder-{Guid.NewGuid():N}", "corpus.txt");

        var error = Assert.Throws<CorpusException>(() => CorpusReader.Open(path));
        Assert.Equal($"corpus '{path}' not found", error.Message);
    }

    [Fact]
    public void Directory_throws_corpus_exception_naming_it()
    {
        string path = Path.GetTempPath();

        var error = Assert.Throws<CorpusException>(() => CorpusReader.Open(path));
        Assert.Contains($"'{path}'", error.Message);
        Assert.Contains("directory", error.Message);
    }
}
