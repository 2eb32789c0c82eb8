using EmbedEngine.Kernels;
using EmbedEngine.Models.FastText;

namespace EmbedEngine.Models.Tests.FastText;

/// <summary>Models saved here are fastText's format byte for byte, and load back unchanged.</summary>
public sealed class FastTextSaveTests
{
    [Fact]
    public void Saving_a_loaded_fastText_model_rewrites_fastText_s_file_byte_for_byte()
    {
        using FastTextModel model = FastTextBinaryFile.Load(FastTextFixture.ModelPath);
        using var folder = new ScratchFolder();
        string path = folder.File("again.bin");
        FastTextBinaryFile.Save(model, path);
        Assert.Equal(File.ReadAllBytes(FastTextFixture.ModelPath), File.ReadAllBytes(path));
    }

    [Fact]
    public void A_model_assembled_from_training_pieces_round_trips_bit_exactly()
    {
        var args = new FastTextArgs
        {
            Dimension = 5, Buckets = 7, MinN = 2, MaxN = 3, Model = FastTextModelKind.Cbow,
            Loss = FastTextLoss.HierarchicalSoftmax, SamplingThreshold = 3e-5, Epochs = 9,
        };
        var dictionary = new FastTextDictionary(["</s>", "über", "cat"], [10, 4, 2],
            [FastTextEntryType.Word, FastTextEntryType.Word, FastTextEntryType.Word], tokenCount: 25);
        // Padded rows, as a trainer allocates them for aligned kernels: the file holds only the used columns.
        using var model = new FastTextModel(args, dictionary, Filled(3 + 7, 5, padRows: true), Filled(3, 5, padRows: false));
        using var folder = new ScratchFolder();
        string path = folder.File("assembled.bin");
        FastTextBinaryFile.Save(model, path);

        using FastTextModel loaded = FastTextBinaryFile.Load(path);
        Assert.Equal(args, loaded.Args);
        Assert.Equal(dictionary.Entries, loaded.Dictionary.Entries);
        Assert.Equal([10L, 4L, 2L], Enumerable.Range(0, 3).Select(loaded.Dictionary.Count));
        Assert.Equal(25, loaded.Dictionary.TokenCount);
        AssertSameBits(model.Input, loaded.Input);
        AssertSameBits(model.Output, loaded.Output);
        Assert.Equal(model.WordVector("überall"), loaded.WordVector("überall"));
    }

    [Fact]
    public void A_model_storing_only_touched_buckets_saves_every_bucket_row_and_reads_the_others_as_zeros()
    {
        var args = new FastTextArgs { Dimension = 3, Buckets = 6, MinN = 2, MaxN = 3, Model = FastTextModelKind.SkipGram };
        var dictionary = new FastTextDictionary(["</s>", "ab"], [3, 2], [FastTextEntryType.Word, FastTextEntryType.Word], 5);
        // Buckets 4 and 1 are stored (rows 2 and 3, in the order training met them); the other four are not.
        int[] rowOfBucket = [-1, 3, -1, -1, 2, -1];
        using var model = new FastTextModel(args, dictionary, Filled(2 + 2, 3, padRows: true), rowOfBucket, Filled(2, 3, padRows: false));
        Assert.Throws<InvalidOperationException>(() => model.Input);
        Assert.Equal(model.StoredInput.Row(3).ToArray(), model.InputRow(2 + 1).ToArray());
        Assert.Equal(model.StoredInput.Row(2).ToArray(), model.InputRow(2 + 4).ToArray());
        Assert.Equal(new float[3], model.InputRow(2 + 0).ToArray());
        using var folder = new ScratchFolder();
        string path = folder.File("touched.bin");
        FastTextBinaryFile.Save(model, path);

        using FastTextModel loaded = FastTextBinaryFile.Load(path);
        Assert.Equal(2 + 6, loaded.Input.Rows);
        for (int row = 0; row < 2 + 6; row++) Assert.Equal(model.InputRow(row).ToArray(), loaded.Input.Row(row).ToArray());
        Assert.Equal(model.WordVector("abc"), loaded.WordVector("abc"));
    }

    [Theory]
    [InlineData(new[] { -1, 3, -1, -1, 2 })]
    [InlineData(new[] { -1, 4, -1, -1, 2, -1 })]
    [InlineData(new[] { -1, 1, -1, -1, 2, -1 })]
    public void A_bucket_map_that_does_not_fit_the_matrix_is_refused(int[] rowOfBucket)
    {
        var args = new FastTextArgs { Dimension = 3, Buckets = 6, MinN = 2, MaxN = 3, Model = FastTextModelKind.SkipGram };
        var dictionary = new FastTextDictionary(["</s>", "ab"], [3, 2], [FastTextEntryType.Word, FastTextEntryType.Word], 5);
        using NativeMatrix input = Filled(4, 3, padRows: false), output = Filled(2, 3, padRows: false);
        Assert.Throws<ArgumentException>(() => new FastTextModel(args, dictionary, input, rowOfBucket, output));
    }

    [Fact]
    public void A_pruned_bucket_index_round_trips_in_its_order_and_maps_the_buckets()
    {
        var args = new FastTextArgs { Dimension = 2, Buckets = 7, MinN = 2, MaxN = 2, Model = FastTextModelKind.SkipGram };
        var dictionary = new FastTextDictionary(["</s>", "ab"], [3, 2], [FastTextEntryType.Word, FastTextEntryType.Word], 5,
            prunedBuckets: [(6, 1), (2, 0)]);
        // Two word rows, then the two rows the kept buckets map to.
        using var model = new FastTextModel(args, dictionary, Filled(2 + 2, 2, padRows: false), Filled(2, 2, padRows: false));
        using var folder = new ScratchFolder();
        string path = folder.File("pruned.bin");
        FastTextBinaryFile.Save(model, path);

        using FastTextModel loaded = FastTextBinaryFile.Load(path);
        Assert.Equal([(6, 1), (2, 0)], loaded.Dictionary.PrunedBuckets!);
        string again = folder.File("again.bin");
        FastTextBinaryFile.Save(loaded, again);
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(again));
        Assert.Equal((3, 2, -1), (loaded.Dictionary.BucketRow(6), loaded.Dictionary.BucketRow(2), loaded.Dictionary.BucketRow(4)));
        // "ab" keeps its own row; of its bigrams <a, ab, b> only those whose bucket was kept follow.
        IReadOnlyList<int> subwords = loaded.Subwords("ab");
        Assert.Equal(1, subwords[0]);
        Assert.All(subwords.Skip(1), row => Assert.InRange(row, 2, 3));
    }

    [Theory]
    [InlineData(new[] { 1, 0, 1, 0 }, "listed twice")]
    [InlineData(new[] { 1, 0, 2, 0 }, "rows 0..1 once each")]
    [InlineData(new[] { 1, 5 }, "rows 0..0 once each")]
    public void A_pruned_bucket_index_must_number_its_rows_once(int[] flat, string expected)
    {
        var pairs = flat.Chunk(2).Select(pair => (pair[0], pair[1])).ToArray();
        var error = Assert.Throws<ArgumentException>(() =>
            new FastTextDictionary(["</s>"], [1], [FastTextEntryType.Word], 1, prunedBuckets: pairs));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Labels_follow_words_and_the_classifier_has_one_output_row_per_label()
    {
        var args = new FastTextArgs { Dimension = 3, Buckets = 0, MinN = 0, MaxN = 0, Model = FastTextModelKind.Supervised };
        var dictionary = new FastTextDictionary(["good", "bad", "__label__pos", "__label__neg"], [3, 2, 3, 2],
            [FastTextEntryType.Word, FastTextEntryType.Word, FastTextEntryType.Label, FastTextEntryType.Label], 10);
        using var model = new FastTextModel(args, dictionary, Filled(2, 3, padRows: false), Filled(2, 3, padRows: false));
        using var folder = new ScratchFolder();
        string path = folder.File("classifier.bin");
        FastTextBinaryFile.Save(model, path);
        using FastTextModel loaded = FastTextBinaryFile.Load(path);
        Assert.Equal((2, 2), (loaded.Dictionary.WordCount, loaded.Dictionary.LabelCount));
        Assert.Equal(FastTextEntryType.Label, loaded.Dictionary.TypeOf(3));
        Assert.Equal(model.Input.Row(1).ToArray(), loaded.WordVector("bad"));
        Assert.Equal(new float[3], loaded.WordVector("unseen")); // no n-grams: nothing to average
    }

    [Fact]
    public void Matrices_that_do_not_match_the_settings_are_refused()
    {
        var args = new FastTextArgs { Dimension = 4, Buckets = 10 };
        var dictionary = new FastTextDictionary(["a"], [1], [FastTextEntryType.Word], 1);
        using NativeMatrix input = Filled(11, 4, padRows: false), shortInput = Filled(10, 4, padRows: false);
        using NativeMatrix output = Filled(1, 4, padRows: false), wideOutput = Filled(1, 5, padRows: false);
        Assert.Contains("expected 11 x 4", Assert.Throws<ArgumentException>(() => new FastTextModel(args, dictionary, shortInput, output)).Message);
        Assert.Contains("expected 1 x 4", Assert.Throws<ArgumentException>(() => new FastTextModel(args, dictionary, input, wideOutput)).Message);
    }

    [Fact]
    public void Non_finite_values_and_unstorable_entries_are_refused_without_touching_the_file()
    {
        var args = new FastTextArgs { Dimension = 2, Buckets = 1, MinN = 1, MaxN = 1 };
        using var folder = new ScratchFolder();
        string path = folder.File("model.bin");
        File.WriteAllText(path, "previous");
        using (var diverged = new FastTextModel(args, new FastTextDictionary(["a"], [1], [FastTextEntryType.Word], 1),
                   Filled(2, 2, padRows: false), Filled(1, 2, padRows: false)))
        {
            diverged.Input.Row(1)[1] = float.NaN;
            Assert.Contains("row 1, column 1", Assert.Throws<ArgumentException>(() => FastTextBinaryFile.Save(diverged, path)).Message);
        }
        using (var withNul = new FastTextModel(args, new FastTextDictionary(["a\0b"], [1], [FastTextEntryType.Word], 1),
                   Filled(2, 2, padRows: false), Filled(1, 2, padRows: false)))
            Assert.Contains("NUL", Assert.Throws<ArgumentException>(() => FastTextBinaryFile.Save(withNul, path)).Message);
        Assert.Equal("previous", File.ReadAllText(path));
    }

    /// <summary>A matrix whose values are all distinct and none round, so a swapped or truncated value shows.</summary>
    private static NativeMatrix Filled(int rows, int columns, bool padRows)
    {
        var matrix = NativeMatrix.Allocate(rows, columns, padRows);
        for (int row = 0; row < rows; row++)
            for (int column = 0; column < columns; column++)
                matrix.Row(row)[column] = MathF.Sin(row * 31 + column + 0.5f) / 3f;
        return matrix;
    }

    private static void AssertSameBits(NativeMatrix expected, NativeMatrix actual)
    {
        Assert.Equal((expected.Rows, expected.Columns), (actual.Rows, actual.Columns));
        for (int row = 0; row < expected.Rows; row++)
            Assert.Equal(expected.Row(row).ToArray().Select(BitConverter.SingleToInt32Bits),
                actual.Row(row).ToArray().Select(BitConverter.SingleToInt32Bits));
    }
}
