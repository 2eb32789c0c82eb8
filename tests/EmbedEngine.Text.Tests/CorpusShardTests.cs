using static EmbedEngine.Text.Tests.CorpusTokens;

namespace EmbedEngine.Text.Tests;

public class CorpusShardTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void Plain_file_shards_in_order_hold_every_token_once(int shardCount)
    {
        using var corpus = TempCorpus.FromBytes(RandomCorpus(seed: 3, tokens: 2_000));
        List<string> expected = Words(ReadAll(corpus.Path));

        foreach (int bufferBytes in new[] { 5, CorpusReader.DefaultBufferBytes })
        {
            var joined = new List<string>();
            for (int shard = 0; shard < shardCount; shard++)
            {
                using CorpusReader reader = CorpusReader.Open(corpus.Path, shard, shardCount, bufferBytes);
                List<string> tokens = ReadAll(reader);
                Assert.Equal(reader.Length, reader.Position);
                if (tokens.Count > 0) Assert.Equal(LineBreak, tokens[^1]); // a shard ends its last sentence
                joined.AddRange(Words(tokens));
            }
            Assert.Equal(expected, joined);
        }
    }

    [Fact]
    public void Shard_boundaries_inside_and_between_tokens_give_each_token_to_one_shard()
    {
        // 12 bytes, so 3 shards start at bytes 0, 4 and 8: byte 4 starts "d", byte 8 is inside "efg".
        using var corpus = TempCorpus.FromText("abc d efg hi");

        List<string>[] shards = [.. Enumerable.Range(0, 3).Select(shard =>
        {
            using CorpusReader reader = CorpusReader.Open(corpus.Path, shard, 3);
            return ReadAll(reader);
        })];

        Assert.Equal(["abc", LineBreak], shards[0]);
        Assert.Equal(["d", "efg", LineBreak], shards[1]);
        Assert.Equal(["hi", LineBreak], shards[2]);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void Line_start_shards_give_each_line_whole_to_one_shard(int shardCount)
    {
        using var corpus = TempCorpus.FromBytes(RandomCorpus(seed: 8, tokens: 2_000));
        List<string> expected = ReadAll(corpus.Path);

        foreach (int bufferBytes in new[] { 5, CorpusReader.DefaultBufferBytes })
        {
            var joined = new List<string>();
            for (int shard = 0; shard < shardCount; shard++)
            {
                using CorpusReader reader = CorpusReader.Open(corpus.Path, shard, shardCount, ShardBoundary.LineStart, bufferBytes);
                joined.AddRange(ReadAll(reader));
            }
            // Same tokens and the same line breaks: no line was cut in two.
            Assert.Equal(expected, joined);
        }
    }

    [Fact]
    public void A_line_start_shard_inside_a_line_leaves_the_line_to_the_shard_it_started_in()
    {
        // 14 bytes, so 2 shards start at bytes 0 and 7: byte 7 is inside "ccc dd", which began in shard 0.
        using var corpus = TempCorpus.FromText("a b\nccc dd\ne f");

        List<string>[] shards = [.. Enumerable.Range(0, 2).Select(shard =>
        {
            using CorpusReader reader = CorpusReader.Open(corpus.Path, shard, 2, ShardBoundary.LineStart);
            return ReadAll(reader);
        })];

        Assert.Equal(["a", "b", LineBreak, "ccc", "dd", LineBreak], shards[0]);
        Assert.Equal(["e", "f", LineBreak], shards[1]);
    }

    [Fact]
    public void Gzip_shards_take_interleaved_lines_and_together_hold_every_token_once()
    {
        using var corpus = TempCorpus.Gzipped("l0 a\nl1 b\n\nl3 c\nl4\nl5 d e\n"u8.ToArray());

        List<string>[] shards = [.. Enumerable.Range(0, 2).Select(shard =>
        {
            using CorpusReader reader = CorpusReader.Open(corpus.Path, shard, 2);
            return ReadAll(reader);
        })];

        Assert.Equal(["l0", "a", LineBreak, "l4", LineBreak], shards[0]);
        Assert.Equal(["l1", "b", LineBreak, "l3", "c", LineBreak, "l5", "d", "e", LineBreak], shards[1]);
    }

    [Fact]
    public void Gzip_shards_of_a_random_corpus_hold_every_token_once()
    {
        byte[] text = RandomCorpus(seed: 11, tokens: 3_000);
        using var corpus = TempCorpus.Gzipped(text);
        List<string> expected = Words(ReadAll(corpus.Path));

        var joined = new List<string>();
        for (int shard = 0; shard < 3; shard++)
        {
            using CorpusReader reader = CorpusReader.Open(corpus.Path, shard, 3, bufferBytes: 9);
            joined.AddRange(Words(ReadAll(reader)));
        }
        expected.Sort(StringComparer.Ordinal);
        joined.Sort(StringComparer.Ordinal);
        Assert.Equal(expected, joined);
    }

    [Fact]
    public void Shard_index_outside_the_count_is_rejected()
    {
        using var corpus = TempCorpus.FromText("a");

        Assert.Throws<ArgumentOutOfRangeException>(() => CorpusReader.Open(corpus.Path, 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => CorpusReader.Open(corpus.Path, -1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => CorpusReader.Open(corpus.Path, 0, 0));
    }

    [Fact]
    public void IsGzip_tells_a_gzip_corpus_by_its_magic_bytes_whatever_its_name()
    {
        using var plain = TempCorpus.FromText("a b\nc\n", ".gz");
        using var packed = TempCorpus.Gzipped("a b\nc\n"u8.ToArray());
        Assert.False(CorpusReader.IsGzip(plain.Path));
        Assert.True(CorpusReader.IsGzip(packed.Path));
    }
}
