using System.Buffers.Binary;
using EmbedEngine.Models.FastText;
using EmbedEngine.Models.FastText.Supervised;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.Tests.FastText;

/// <summary>
/// Damaged copies of the fastText fixture are refused with an error naming the file and the offset, before
/// anything large is allocated. Offsets follow fastText's layout: 8 bytes of signature, 56 of settings (dim at 8,
/// loss at 32, model at 36, bucket at 40), then the dictionary (size at 64, nwords 68, nlabels 72, ntokens 76,
/// pruneidx_size 84, entries from 92: "the\0", its count at 96 and its type at 104, then "of\0" at 105).
/// </summary>
public sealed class FastTextBadInputTests : IDisposable
{
    private readonly ScratchFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Wrong_magic_number()
    {
        var error = LoadPatched(bytes => WriteInt32(bytes, 0, 1234));
        AssertRefused(error, 0, "not a fastText binary model");
    }

    [Theory]
    [InlineData(11)]
    [InlineData(13)]
    public void Unsupported_version(int version)
    {
        var error = LoadPatched(bytes => WriteInt32(bytes, 4, version));
        AssertRefused(error, 4, $"version {version}; only version 12");
    }

    [Theory]
    [InlineData(0)] // empty
    [InlineData(6)] // inside the version
    [InlineData(30)] // inside the settings
    [InlineData(80)] // inside the dictionary header
    [InlineData(94)] // inside the first word
    [InlineData(100)] // inside the first count
    [InlineData(2000)] // further into the dictionary
    public void Truncated_header_or_dictionary(int length)
    {
        var error = Assert.Throws<VectorFormatException>(() => FastTextBinaryFile.Load(Write(Fixture()[..length])));
        Assert.Contains("truncated", error.Message);
        Assert.Contains("cut.bin", error.Message);
    }

    [Theory]
    [InlineData(0, 0)] // before the input flag
    [InlineData(0, 9)] // inside the input shape
    [InlineData(0, 5000)] // inside the input values
    [InlineData(1, 12)] // inside the output shape
    [InlineData(1, 1000)] // inside the output values
    public void Truncated_matrix(int matrix, int bytesIntoIt)
    {
        long start = matrix == 0 ? FastTextFixture.InputFlagOffset : FastTextFixture.OutputFlagOffset;
        var error = Assert.Throws<VectorFormatException>(() =>
            FastTextBinaryFile.Load(Write(Fixture()[..(int)(start + bytesIntoIt)])));
        Assert.Contains("truncated", error.Message);
        Assert.Contains(matrix == 0 ? "input" : "output", error.Message);
    }

    [Fact]
    public void Last_byte_missing() =>
        Assert.Contains("truncated", Assert.Throws<VectorFormatException>(() => FastTextBinaryFile.Load(Write(Fixture()[..^1]))).Message);

    [Fact]
    public void Trailing_bytes() =>
        AssertRefused(Assert.Throws<VectorFormatException>(() => FastTextBinaryFile.Load(Write([.. Fixture(), 1, 2, 3]))),
            new FileInfo(FastTextFixture.ModelPath).Length, "3 bytes follow the output matrix");

    [Theory]
    [InlineData(0, "outside 1..1000000")]
    [InlineData(-8, "outside 1..1000000")]
    [InlineData(2_000_000, "outside 1..1000000")]
    [InlineData(9, "1862 x 8; the settings and dictionary call for 1862 x 9")]
    public void Absurd_or_mismatched_dimension(int dimension, string expected)
    {
        var error = LoadPatched(bytes => WriteInt32(bytes, 8, dimension));
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData(-1, "negative")]
    [InlineData(int.MaxValue, "more input rows than the limit")]
    [InlineData(2000, "1862 x 8; the settings and dictionary call for 2862 x 8")]
    public void Absurd_or_mismatched_bucket_count(int buckets, string expected)
    {
        var error = LoadPatched(bytes => WriteInt32(bytes, 40, buckets));
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData(2_000_000_000, "at most 30000000")]
    [InlineData(20_000_000, "the file is truncated or the size is wrong")]
    public void Absurd_dictionary_size(int words, string expected)
    {
        var error = LoadPatched(bytes =>
        {
            WriteInt32(bytes, 64, words);
            WriteInt32(bytes, 68, words);
        });
        AssertRefused(error, 64, expected);
    }

    [Fact]
    public void Word_and_label_counts_that_do_not_add_up() =>
        AssertRefused(LoadPatched(bytes => WriteInt32(bytes, 72, 3)), 64, "862 words and 3 labels");

    [Fact]
    public void Negative_token_count() =>
        AssertRefused(LoadPatched(bytes => WriteInt64(bytes, 76, -1)), 76, "token count -1 is negative");

    [Fact]
    public void Negative_word_count_in_an_entry() =>
        AssertRefused(LoadPatched(bytes => WriteInt64(bytes, 96, -5)), 92, "count -5 of 'the' is negative");

    [Fact]
    public void Unknown_entry_type() =>
        AssertRefused(LoadPatched(bytes => bytes[104] = 2), 104, "entry type 2");

    [Fact]
    public void Label_among_the_words() =>
        AssertRefused(LoadPatched(bytes => bytes[104] = 1), 92, "expected the 862 words first");

    [Fact]
    public void Repeated_word()
    {
        var error = LoadPatched(bytes => "to"u8.CopyTo(bytes.AsSpan(105)));
        Assert.Contains("'to' occurs twice", error.Message);
        Assert.Contains("cut.bin", error.Message);
    }

    [Fact]
    public void Invalid_utf8_word() =>
        AssertRefused(LoadPatched(bytes => bytes[92] = 0xFF), 92, "not valid UTF-8");

    [Theory]
    [InlineData(32, 0, "loss 0")]
    [InlineData(36, 4, "model kind 4")]
    public void Unknown_loss_or_model(int offset, int value, string expected) =>
        AssertRefused(LoadPatched(bytes => WriteInt32(bytes, offset, value)), offset, expected);

    [Fact]
    public void Impossible_ngram_lengths() =>
        Assert.Contains("minn 5, maxn 4", LoadPatched(bytes => WriteInt32(bytes, 44, 5)).Message);

    [Theory]
    [InlineData(-2)]
    [InlineData(1001)]
    [InlineData(long.MaxValue)]
    public void Absurd_pruned_ngram_index(long size) =>
        AssertRefused(LoadPatched(bytes => WriteInt64(bytes, 84, size)), 84, $"announces {size} buckets; expected -1 (none) or 0..1000");

    [Fact]
    public void A_pruned_ngram_index_calls_for_fewer_input_rows()
    {
        long rowsOffset = FastTextFixture.InputFlagOffset + 1;
        AssertRefused(LoadPatched(bytes => WriteInt64(bytes, 84, 0)), rowsOffset,
            "the input matrix is 1862 x 8; the settings and dictionary call for 862 x 8");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Quantized_matrix_of_a_word_vector_model(int matrix)
    {
        long flag = matrix == 0 ? FastTextFixture.InputFlagOffset : FastTextFixture.OutputFlagOffset;
        AssertRefused(LoadPatched(bytes => bytes[flag] = 1), flag, "quantized, but only supervised models are");
        AssertRefused(LoadPatched(bytes => bytes[flag] = 2), flag, "quantization flag is 2; expected 0 or 1");
    }

    [Fact]
    public void Matrix_shape_that_does_not_match_the_settings()
    {
        long rowsOffset = FastTextFixture.InputFlagOffset + 1;
        AssertRefused(LoadPatched(bytes => WriteInt64(bytes, rowsOffset, 1L << 40)), rowsOffset,
            "the input matrix is 1099511627776 x 8; the settings and dictionary call for 1862 x 8");
    }

    [Fact]
    public void Not_a_number_in_a_matrix()
    {
        long value = FastTextFixture.OutputFlagOffset + 17 + 4 * 10;
        AssertRefused(LoadPatched(bytes => BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan((int)value), float.NaN)),
            value, "expected a finite float32");
    }

    [Theory]
    [InlineData(32, 2, "the classifier's loss is NegativeSampling; only softmax, hs and ova are supported")]
    [InlineData(72, 2_000_000_000, "at most 30000000")]
    [InlineData(4, 11, "only version 12 is supported")]
    public void A_damaged_classifier(int offset, int value, string expected)
    {
        string path = Patched(SupervisedFixture.ModelPath("topics-hs"), bytes => WriteInt32(bytes, offset, value));
        Assert.Contains(expected, Assert.Throws<VectorFormatException>(() => ClassifierModel.Load(path)).Message);
    }

    [Fact]
    public void Missing_file()
    {
        var error = Assert.Throws<VectorFormatException>(() => FastTextBinaryFile.Load(_folder.File("absent.bin")));
        Assert.Contains("absent.bin: the file does not exist", error.Message);
    }

    private static byte[] Fixture() => File.ReadAllBytes(FastTextFixture.ModelPath);

    private string Write(byte[] bytes)
    {
        string path = _folder.File("cut.bin");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A copy of <paramref name="source"/> with <paramref name="patch"/> applied.</summary>
    private string Patched(string source, Action<byte[]> patch)
    {
        byte[] bytes = File.ReadAllBytes(source);
        patch(bytes);
        return Write(bytes);
    }

    private VectorFormatException LoadPatched(Action<byte[]> patch)
    {
        string path = Patched(FastTextFixture.ModelPath, patch);
        return Assert.Throws<VectorFormatException>(() => FastTextBinaryFile.Load(path));
    }

    private static void AssertRefused(VectorFormatException error, long offset, string expected)
    {
        Assert.Contains(expected, error.Message);
        Assert.Contains("cut.bin", error.Message);
        Assert.Equal(offset, error.ByteOffset);
    }

    private static void WriteInt32(byte[] bytes, long offset, int value) =>
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan((int)offset), value);

    private static void WriteInt64(byte[] bytes, long offset, long value) =>
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan((int)offset), value);
}
