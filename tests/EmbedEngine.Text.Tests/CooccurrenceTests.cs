using EmbedEngine.Kernels;
using System.Buffers.Binary;

namespace EmbedEngine.Text.Tests;

public class CooccurrenceTests
{
    // Ids: a = 0, b = 1, c = 2, d = 3.
    private static readonly Vocabulary Abcd = Vocabulary.FromCounts([("a", 4), ("b", 3), ("c", 2), ("d", 1)]);

    [Fact]
    public void Symmetric_distance_weighted_counts_match_hand_computed_weights()
    {
        // "a b a c", window 2: b-a at 1; a-a at 2 (counted both ways); a-b at 1; c-b at 2; c-a at 1.
        CsrMatrix matrix = Count("a b a c", new CooccurrenceOptions { Window = 2 });

        Assert.Equal(4, matrix.Rows);
        Assert.Equal(7, matrix.NonZeros);
        Assert.Equal([0L, 3, 5, 7, 7], matrix.RowStarts.ToArray());
        Assert.Equal([0, 1, 2, 0, 2, 0, 1], matrix.ColumnIndices.ToArray());
        Assert.Equal([1f, 2f, 1f, 2f, 0.5f, 1f, 0.5f], matrix.Values.ToArray());
        Assert.Equal(0.5f, matrix.Get(1, 2));
        Assert.Equal(0f, matrix.Get(1, 1));
        Assert.Equal(0f, matrix.Get(3, 0));
    }

    [Fact]
    public void Left_only_counts_each_word_with_earlier_words()
    {
        var options = new CooccurrenceOptions { Window = 2, Symmetric = false };
        CsrMatrix matrix = Count("a b c", options);

        Assert.Equal(3, matrix.NonZeros);
        Assert.Equal(1f, matrix.Get(1, 0));   // (b, a) at 1
        Assert.Equal(1f, matrix.Get(2, 1));   // (c, b) at 1
        Assert.Equal(0.5f, matrix.Get(2, 0)); // (c, a) at 2
        Assert.Equal(0f, matrix.Get(0, 1));
        Assert.Equal(0f, matrix.Get(0, 2));
        Assert.Equal(0f, matrix.Get(1, 2));
    }

    [Fact]
    public void Without_distance_weighting_every_pair_in_the_window_adds_one()
    {
        CsrMatrix symmetric = Count("a b c a", new CooccurrenceOptions { Window = 2, DistanceWeighting = false });
        // Pairs within 2: (b,a) (c,b) (c,a) (a,c) (a,b); the two a's are 3 apart.
        Assert.Equal(2f, symmetric.Get(0, 1));
        Assert.Equal(2f, symmetric.Get(1, 0));
        Assert.Equal(2f, symmetric.Get(0, 2));
        Assert.Equal(2f, symmetric.Get(2, 0));
        Assert.Equal(1f, symmetric.Get(1, 2));
        Assert.Equal(1f, symmetric.Get(2, 1));
        Assert.Equal(0f, symmetric.Get(0, 0));

        CsrMatrix leftOnly = Count("a b c a",
            new CooccurrenceOptions { Window = 2, DistanceWeighting = false, Symmetric = false });
        Assert.Equal(1f, leftOnly.Get(1, 0));
        Assert.Equal(1f, leftOnly.Get(2, 1));
        Assert.Equal(1f, leftOnly.Get(2, 0));
        Assert.Equal(1f, leftOnly.Get(0, 2));
        Assert.Equal(1f, leftOnly.Get(0, 1));
        Assert.Equal(0f, leftOnly.Get(1, 2));
        Assert.Equal(5, leftOnly.NonZeros);
    }

    [Fact]
    public void The_window_limits_the_distance()
    {
        CsrMatrix matrix = Count("a b c", new CooccurrenceOptions { Window = 1 });

        Assert.Equal(4, matrix.NonZeros);
        Assert.Equal(0f, matrix.Get(2, 0));
        Assert.Equal(0f, matrix.Get(0, 2));
        Assert.Equal(1f, matrix.Get(2, 1));
    }

    [Fact]
    public void Windows_do_not_cross_sentence_boundaries_and_unknown_words_are_dropped_first()
    {
        CsrMatrix matrix = Count("a b\nc d\n\nx a x c", new CooccurrenceOptions());

        Assert.Equal(1f, matrix.Get(1, 0));
        Assert.Equal(1f, matrix.Get(3, 2));
        // "x a x c": the unknown x's go before windowing, so a and c are at distance 1.
        Assert.Equal(1f, matrix.Get(2, 0));
        Assert.Equal(1f, matrix.Get(0, 2));
        Assert.Equal(0f, matrix.Get(2, 1)); // b and c are on different lines
        Assert.Equal(0f, matrix.Get(1, 2));
        Assert.Equal(6, matrix.NonZeros);
    }

    [Theory]
    [InlineData(1, 0L, 0L)]
    [InlineData(1, 1L << 20, 0L)]
    [InlineData(1, 1024L, 0L)]
    [InlineData(1, 1024L, 500L)]
    [InlineData(3, 1L << 20, 100L)]
    [InlineData(2, 1024L, 2000L)]
    public void Counts_equal_a_dictionary_whatever_the_threads_spills_and_dense_block(int threads, long slotLimit, long maxProduct)
    {
        byte[] text = CorpusTokens.RandomCorpus(seed: 5, tokens: 20_000);
        using var corpus = TempCorpus.FromBytes(text);
        Vocabulary vocabulary = Vocabulary.Build(corpus.Path, minCount: 2);
        var options = new CooccurrenceOptions { Window = 5, Threads = threads };

        // A limit of 1024 slots makes every thread spill many runs to disk; 0 is the default layout.
        CountingLayout? layout = slotLimit == 0 ? null : new CountingLayout(slotLimit, maxProduct);
        (CsrMatrix matrix, CooccurrenceStatistics statistics) =
            CooccurrenceCounter.CountInMemory(corpus.Path, vocabulary, options, layout);

        if (slotLimit != 1024) Assert.Equal(0, statistics.SpilledRuns);
        else Assert.True(statistics.SpilledRuns > 10 * threads, $"{statistics.SpilledRuns} runs spilled");
        Assert.Equal(matrix.NonZeros, statistics.NonZeros);
        var expected = new Dictionary<(int, int), double>();
        using (var reader = new SentenceReader(corpus.Path, vocabulary, CooccurrenceCounter.MaxSentenceLength))
        {
            var ids = new int[CooccurrenceCounter.MaxSentenceLength];
            int length;
            while ((length = reader.Read(ids, out _)) >= 0)
            {
                for (int i = 0; i < length; i++)
                {
                    for (int j = Math.Max(0, i - 5); j < i; j++)
                    {
                        double weight = 1.0 / (i - j);
                        expected[(ids[i], ids[j])] = expected.GetValueOrDefault((ids[i], ids[j])) + weight;
                        expected[(ids[j], ids[i])] = expected.GetValueOrDefault((ids[j], ids[i])) + weight;
                    }
                }
            }
        }

        Assert.True(expected.Count > 1000);
        Assert.Equal(expected.Count, matrix.NonZeros);
        // Sums are doubles rounded to float once, so the order of summation does not show.
        foreach (((int row, int column), double weight) in expected)
            Assert.Equal((float)weight, matrix.Get(row, column));
        AssertValidCsr(matrix);
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    public void Parts_counted_apart_and_merged_by_row_ranges_equal_one_count(int parts, int threads)
    {
        byte[] text = CorpusTokens.RandomCorpus(seed: 6, tokens: 20_000);
        using var corpus = TempCorpus.FromBytes(text);
        Vocabulary vocabulary = Vocabulary.Build(corpus.Path, minCount: 2);
        var options = new CooccurrenceOptions { Window = 5, Threads = threads };
        CsrMatrix whole = CooccurrenceCounter.Count(corpus.Path, vocabulary, options with { Threads = 1 });

        CooccurrencePart[] counted = [.. Enumerable.Range(0, parts).Select(part => CooccurrenceCounter.CountPart(corpus.Path, vocabulary, options, part, parts))];
        Assert.All(counted, part => Assert.True(part.Keys.Length > 100 && part.Keys.Length < whole.NonZeros));
        // As the ranks of a job do: each row range summed from every part's pairs in it, alone.
        var rangeEntries = new List<(int Row, int Column, float Value)>();
        for (int range = 0; range < 3; range++)
        {
            int first = vocabulary.Count * range / 3, end = vocabulary.Count * (range + 1) / 3;
            CooccurrencePart[] pieces = [.. counted.Select(part =>
            {
                int from = part.FirstIndexOfRow(first), to = part.FirstIndexOfRow(end);
                return new CooccurrencePart(part.Keys[from..to], part.Sums[from..to]);
            })];
            CsrMatrix summed = CooccurrenceCounter.MergeParts(pieces, vocabulary.Count);
            for (int row = 0; row < summed.Rows; row++)
            {
                if (summed.RowColumnIndices(row).Length > 0) Assert.InRange(row, first, end - 1);
                for (int k = 0; k < summed.RowColumnIndices(row).Length; k++)
                    rangeEntries.Add((row, summed.RowColumnIndices(row)[k], summed.RowValues(row)[k]));
            }
        }

        Assert.Equal(whole.NonZeros, rangeEntries.Count);
        foreach ((int row, int column, float value) in rangeEntries) Assert.Equal(whole.Get(row, column), value);
    }

    [Fact]
    public void A_part_that_does_not_exist_is_refused()
    {
        using var corpus = TempCorpus.FromBytes("a b c\n"u8.ToArray());
        var error = Assert.Throws<ArgumentException>(() => CooccurrenceCounter.CountPart(corpus.Path, Abcd, new CooccurrenceOptions(), 2, 2));
        Assert.Contains("Part 2 of 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Save_then_load_gives_the_same_matrix_and_leaves_no_temporary_file()
    {
        CsrMatrix matrix = Count("a b a c\nd c b\nd", new CooccurrenceOptions { Window = 3 });
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "cooc.bin");
        File.WriteAllText(path, "an older file to replace");

        CooccurrenceFile.Save(matrix, path);
        CsrMatrix loaded = CooccurrenceFile.Load(path);

        Assert.Equal(matrix.Rows, loaded.Rows);
        Assert.Equal(matrix.NonZeros, loaded.NonZeros);
        Assert.Equal(matrix.RowStarts.ToArray(), loaded.RowStarts.ToArray());
        Assert.Equal(matrix.ColumnIndices.ToArray(), loaded.ColumnIndices.ToArray());
        Assert.Equal(matrix.Values.ToArray(), loaded.Values.ToArray());
        Assert.Equal(["cooc.bin"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
        long expectedLength = 24 + ((matrix.Rows + 1) * 8) + (matrix.NonZeros * 8) + 4;
        Assert.Equal(expectedLength, new FileInfo(path).Length);
    }

    [Fact]
    public void An_empty_matrix_round_trips()
    {
        CsrMatrix matrix = Count("a\nb\n", new CooccurrenceOptions());
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "empty.bin");

        CooccurrenceFile.Save(matrix, path);
        CsrMatrix loaded = CooccurrenceFile.Load(path);

        Assert.Equal(4, loaded.Rows);
        Assert.Equal(0, loaded.NonZeros);
        Assert.Equal(0f, loaded.Get(3, 3));
    }

    [Fact]
    public void A_truncated_file_is_rejected()
    {
        AssertCorrupt(bytes => bytes[..^5], "truncated");
        AssertCorrupt(bytes => bytes[..10], "too short");
    }

    [Fact]
    public void A_wrong_magic_is_rejected()
    {
        AssertCorrupt(bytes => { bytes[0] = (byte)'X'; return bytes; }, "EECOOC01");
    }

    [Fact]
    public void A_header_claiming_huge_sizes_is_rejected_before_allocating()
    {
        AssertCorrupt(bytes => { BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(16), 1L << 40); return bytes; }, "nonzeros");
        AssertCorrupt(bytes => { BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(16), (1L << 31) - 100); return bytes; }, "needs");
        AssertCorrupt(bytes => { BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), -1); return bytes; }, "rows");
    }

    [Fact]
    public void Any_flipped_byte_is_rejected()
    {
        byte[] original = SavedBytes();
        for (int offset = 0; offset < original.Length; offset++)
        {
            int at = offset;
            AssertCorrupt(bytes => { bytes[at] ^= 0x10; return bytes; }, "");
        }
    }

    [Fact]
    public void A_file_with_a_valid_checksum_but_unsorted_columns_is_rejected()
    {
        AssertCorrupt(bytes =>
        {
            // Row 0 holds columns 0, 1, 2 at bytes 24 + 5 * 8 onward; swap the first two and re-checksum.
            int columns = 24 + (5 * 8);
            (bytes[columns], bytes[columns + 4]) = (bytes[columns + 4], bytes[columns]);
            Rechecksum(bytes);
            return bytes;
        }, "ascending");
        AssertCorrupt(bytes =>
        {
            // Row starts 0 3 5 6 6: monotonic, but the rows end before the 7 nonzeros.
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(24 + (3 * 8)), 6);
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(24 + (4 * 8)), 6);
            Rechecksum(bytes);
            return bytes;
        }, "rows end");
    }

    [Fact]
    public void A_missing_file_is_a_corpus_exception()
    {
        string path = Path.Combine(Path.GetTempPath(), $"embedengine-missing-{Guid.NewGuid():N}.bin");
        var error = Assert.Throws<CorpusException>(() => CooccurrenceFile.Load(path));
        Assert.Contains(path, error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void A_window_below_one_is_rejected(int window)
    {
        var options = new CooccurrenceOptions { Window = window };
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("window", error.Message);
        using var corpus = TempCorpus.FromText("a b");
        Assert.Throws<ArgumentException>(() => CooccurrenceCounter.Count(corpus.Path, Abcd, options));
    }

    [Fact]
    public void Defaults_follow_the_issue()
    {
        var options = new CooccurrenceOptions();
        Assert.Equal(10, options.Window);
        Assert.True(options.Symmetric);
        Assert.True(options.DistanceWeighting);
        options.Validate();
    }

    private static CsrMatrix Count(string text, CooccurrenceOptions options)
    {
        using var corpus = TempCorpus.FromText(text);
        return CooccurrenceCounter.Count(corpus.Path, Abcd, options);
    }

    /// <summary>The saved bytes of "a b a c" with window 2: 4 rows, 7 nonzeros.</summary>
    private static byte[] SavedBytes()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "m.bin");
        CooccurrenceFile.Save(Count("a b a c", new CooccurrenceOptions { Window = 2 }), path);
        return File.ReadAllBytes(path);
    }

    private static void AssertCorrupt(Func<byte[], byte[]> damage, string expectedInMessage)
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "damaged.bin");
        File.WriteAllBytes(path, damage(SavedBytes()));
        var error = Assert.Throws<CorpusException>(() => CooccurrenceFile.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains(expectedInMessage, error.Message);
    }

    private static void Rechecksum(byte[] bytes) =>
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), EmbedEngine.Kernels.IO.Crc32C.Compute(bytes.AsSpan(0, bytes.Length - 4)));

    private static void AssertValidCsr(CsrMatrix matrix)
    {
        ReadOnlySpan<long> starts = matrix.RowStarts;
        Assert.Equal(matrix.Rows + 1, starts.Length);
        Assert.Equal(0, starts[0]);
        Assert.Equal(matrix.NonZeros, starts[^1]);
        for (int row = 0; row < matrix.Rows; row++)
        {
            for (long i = starts[row] + 1; i < starts[row + 1]; i++)
                Assert.True(matrix.ColumnIndices[(int)i - 1] < matrix.ColumnIndices[(int)i]);
        }
    }
}
