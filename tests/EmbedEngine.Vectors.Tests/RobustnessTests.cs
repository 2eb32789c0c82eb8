using EmbedEngine.Kernels.IO;
using System.Buffers.Binary;
using System.Text;
using EmbedEngine.Vectors.IO;

namespace EmbedEngine.Vectors.Tests;

/// <summary>Every damaged or lying file fails at load with a <see cref="VectorFormatException"/> that says where and why.</summary>
public sealed class RobustnessTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<VectorFormat?> FormatsAndDetection() =>
        [VectorFormat.Word2VecText, VectorFormat.Word2VecBinary, VectorFormat.FastTextVec, VectorFormat.Native,
            VectorFormat.GloVeText, null];

    public static TheoryData<VectorFormat> HeaderFormats() =>
        [VectorFormat.Word2VecText, VectorFormat.Word2VecBinary, VectorFormat.FastTextVec, VectorFormat.Native];

    [Theory]
    [MemberData(nameof(FormatsAndDetection))]
    public void Missing_file(VectorFormat? format)
    {
        string path = _folder.File("missing.bin");
        var error = Assert.Throws<VectorFormatException>(() => VectorFile.Load(path, format));
        Assert.Contains(path, error.Message);
        Assert.IsType<FileNotFoundException>(error.InnerException);
        Assert.Throws<VectorFormatException>(() => VectorFile.Load(_folder.File("no-such-dir/v.txt"), format));
    }

    [Theory]
    [MemberData(nameof(FormatsAndDetection))]
    public void Empty_file(VectorFormat? format)
    {
        string path = WriteBytes([]);
        Assert.Contains(path, Assert.Throws<VectorFormatException>(() => VectorFile.Load(path, format)).Message);
    }

    [Theory]
    [MemberData(nameof(HeaderFormats))]
    public void Truncated_in_the_header(VectorFormat format)
    {
        byte[] file = SavedBytes(format);
        int cut = format == VectorFormat.Native ? 40 : 2;
        AssertRefused(file[..cut], format);
    }

    [Theory]
    [MemberData(nameof(FormatsAndDetection))]
    public void Truncated_in_the_middle_of_a_vector(VectorFormat? format)
    {
        byte[] file = SavedBytes(format ?? VectorFormat.Word2VecBinary);
        int rowStart = RowStart(file, format ?? VectorFormat.Word2VecBinary, row: 2);
        int rowEnd = RowStart(file, format ?? VectorFormat.Word2VecBinary, row: 3);
        AssertRefused(file[..((rowStart + rowEnd) / 2)], format);
    }

    [Theory]
    [MemberData(nameof(HeaderFormats))]
    public void Missing_last_rows(VectorFormat format)
    {
        byte[] file = SavedBytes(format);
        var error = AssertRefused(file[..RowStart(file, format, row: 3)], format);
        Assert.True(error.Message.Contains("truncated", StringComparison.Ordinal) || error.Message.Contains("bytes", StringComparison.Ordinal), error.Message);
    }

    /// <summary>
    /// Cutting a file anywhere either still leaves a valid file (text formats: inside the last row's last value,
    /// or its trailing separators; binary: its final newline) or is refused; nothing else ever escapes.
    /// Cuts before the last row always fail for formats with a header.
    /// </summary>
    [Theory]
    [MemberData(nameof(FormatsAndDetection))]
    public void Every_cut_is_refused_or_still_valid(VectorFormat? format)
    {
        VectorFormat written = format ?? VectorFormat.Word2VecBinary;
        byte[] file = SavedBytes(written);
        int lastRow = RowStart(file, written, row: 4);
        for (int cut = 0; cut < file.Length; cut++)
        {
            string path = WriteBytes(file[..cut]);
            try
            {
                using var loaded = VectorFile.Load(path, format);
                Assert.False(cut < lastRow && written != VectorFormat.GloVeText, $"a cut at {cut} of {file.Length} loaded");
            }
            catch (VectorFormatException)
            {
            }
            File.Delete(path);
        }
    }

    [Fact]
    public void Every_corrupted_byte_of_a_native_file_is_refused()
    {
        byte[] file = SavedBytes(VectorFormat.Native);
        for (int i = 0; i < file.Length; i++)
        {
            byte[] corrupted = (byte[])file.Clone();
            corrupted[i] ^= 0x10;
            string path = WriteBytes(corrupted);
            Assert.Throws<VectorFormatException>(() => VectorFile.Load(path));
            File.Delete(path);
        }
    }

    [Fact]
    public void Native_checksum_mismatch_names_the_offset()
    {
        byte[] file = SavedBytes(VectorFormat.Native);
        file[^10] ^= 1;
        var error = AssertRefused(file, VectorFormat.Native);
        Assert.Contains("CRC-32C", error.Message);
        Assert.Equal(file.Length - 4, error.ByteOffset);
    }

    [Theory]
    [InlineData("1000000 300\nthe 1 2 3\n", "announces 1000000 words")]
    [InlineData("2000000000 1000000\nthe 1\n", "announces")]
    [InlineData("1 2000000\nthe 1\n", "exceeds the limit")]
    [InlineData("-1 3\n", "negative")]
    [InlineData("3 -4\n", "not positive")]
    [InlineData("3 0\n", "not positive")]
    [InlineData("abc 3\nthe 1 2 3\n", "two whole numbers")]
    [InlineData("3\n", "two whole numbers")]
    [InlineData("99999999999999999999 3\n", "two whole numbers")]
    public void Lying_or_malformed_headers(string text, string expected)
    {
        foreach (VectorFormat format in new[] { VectorFormat.Word2VecText, VectorFormat.Word2VecBinary })
            Assert.Contains(expected, AssertRefused(Encoding.ASCII.GetBytes(text), format).Message);
    }

    [Fact]
    public void Binary_header_claiming_more_rows_than_bytes_is_refused_before_reading()
    {
        var bytes = new List<byte>("100 50\nx "u8.ToArray());
        bytes.AddRange(new byte[200]);
        var error = AssertRefused([.. bytes], VectorFormat.Word2VecBinary);
        Assert.Contains("announces 100 words of dimension 50", error.Message);
        Assert.Equal(0, error.ByteOffset);
    }

    [Fact]
    public void Native_header_claiming_more_rows_than_the_file_holds_is_refused()
    {
        byte[] file = SavedBytes(VectorFormat.Native);
        BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(16), 1L << 40);
        AssertRefused(file, VectorFormat.Native);
    }

    [Theory]
    [InlineData("2 2\nx 1 nan\ny 1 2\n", 2)]
    [InlineData("2 2\nx 1 2\ny Infinity 2\n", 3)]
    [InlineData("2 2\nx 1 2\ny -Infinity 2\n", 3)]
    [InlineData("2 2\nx 1 2\ny 1e999 2\n", 3)]
    public void Non_finite_text_values_are_refused(string text, int line)
    {
        var error = AssertRefused(Encoding.ASCII.GetBytes(text), VectorFormat.Word2VecText);
        Assert.Equal(line, error.LineNumber);
        Assert.Contains("finite", error.Message);
    }

    [Fact]
    public void Non_finite_binary_values_are_refused_with_their_offset()
    {
        var bytes = new List<byte>("1 2\nx "u8.ToArray());
        bytes.AddRange(BitConverter.GetBytes(1f));
        bytes.AddRange(BitConverter.GetBytes(float.NaN));
        var error = AssertRefused([.. bytes], VectorFormat.Word2VecBinary);
        Assert.Equal(4 + 2 + 4, error.ByteOffset);
    }

    [Fact]
    public void Non_finite_native_values_are_refused_even_with_a_valid_checksum()
    {
        byte[] file = SavedBytes(VectorFormat.Native);
        long matrixOffset = BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(40));
        BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan((int)matrixOffset + 8), float.PositiveInfinity);
        FixChecksum(file);
        Assert.Contains("finite", AssertRefused(file, VectorFormat.Native).Message);
    }

    [Theory]
    [InlineData("2 3\nx 1.0 2.0\ny 1 2 3\n", 2, "found 2")]
    [InlineData("2 3\nx 1 2 3 4 5\ny 1 2 3\n", 2, "found 5")]
    [InlineData("2 3\nx 1 2 3\ny 1 two 3\n", 3, "'two'")]
    [InlineData("2 3\nx 1 2 3\n\ny 1 2 3\nz 1 2 3\n", 5, "another row")]
    [InlineData("2 3\nx 1.000 2.000 3.000\n", 3, "truncated")]
    public void Text_rows_with_the_wrong_shape_name_their_line(string text, int line, string expected)
    {
        var error = AssertRefused(Encoding.ASCII.GetBytes(text), VectorFormat.Word2VecText);
        Assert.Equal(line, error.LineNumber);
        Assert.Contains(expected, error.Message);
        Assert.Contains($":{line}:", error.Message);
    }

    [Fact]
    public void GloVe_rows_must_all_have_the_first_rows_length()
    {
        var error = AssertRefused("a 1 2 3\nb 1 2\n"u8.ToArray(), VectorFormat.GloVeText);
        Assert.Equal(2, error.LineNumber);
        Assert.Equal(VectorFormat.GloVeText, Formats.FormatDetector.Detect(WriteBytes("a 1 2 3\nb 1 2\n"u8.ToArray())));
    }

    [Fact]
    public void Binary_extra_data_after_the_announced_rows_is_refused()
    {
        byte[] file = SavedBytes(VectorFormat.Word2VecBinary);
        Assert.Contains("more data", AssertRefused([.. file, .. "junk"u8.ToArray()], VectorFormat.Word2VecBinary).Message);
    }

    [Fact]
    public void Binary_word_without_an_ending_space_is_refused()
    {
        byte[] file = [.. "2 2\n"u8.ToArray(), .. Enumerable.Repeat((byte)'a', 5000)];
        Assert.Contains("no space", AssertRefused(file, VectorFormat.Word2VecBinary).Message);
    }

    [Fact]
    public void Duplicate_words_are_refused_in_every_format()
    {
        Assert.Contains("twice", AssertRefused("2 1\nx 1\nx 2\n"u8.ToArray(), VectorFormat.Word2VecText).Message);
        Assert.Contains("twice", AssertRefused("x 1\nx 2\n"u8.ToArray(), VectorFormat.GloVeText).Message);
        byte[] binary = [.. "2 1\nx "u8.ToArray(), .. BitConverter.GetBytes(1f), .. "\nx "u8.ToArray(), .. BitConverter.GetBytes(2f)];
        Assert.Equal(4 + 2 + 4 + 1, AssertRefused(binary, VectorFormat.Word2VecBinary).ByteOffset);

        using var vectors = TestVectors.Create(("ab", [1f]), ("ac", [2f]));
        byte[] native = SavedBytes(VectorFormat.Native, vectors);
        native[64 + 4 + 2 + 4 + 1] = (byte)'b'; // second word "ac" becomes "ab"
        FixChecksum(native);
        Assert.Contains("twice", AssertRefused(native, VectorFormat.Native).Message);
    }

    [Fact]
    public void Invalid_utf8_words_are_refused_in_every_format()
    {
        Assert.Contains("UTF-8", AssertRefused([.. "1 1\nx"u8.ToArray(), 0xFF, .. " 1\n"u8.ToArray()], VectorFormat.Word2VecText).Message);
        byte[] binary = [.. "1 1\nx"u8.ToArray(), 0xC3, (byte)' ', .. BitConverter.GetBytes(1f), (byte)'\n'];
        Assert.Contains("UTF-8", AssertRefused(binary, VectorFormat.Word2VecBinary).Message);

        using var vectors = TestVectors.Create(("ab", [1f]));
        byte[] native = SavedBytes(VectorFormat.Native, vectors);
        native[64 + 4] = 0xFE;
        FixChecksum(native);
        Assert.Contains("UTF-8", AssertRefused(native, VectorFormat.Native).Message);
    }

    [Fact]
    public void Native_files_with_an_unknown_version_or_magic_are_refused()
    {
        byte[] file = SavedBytes(VectorFormat.Native);
        file[8] = 2;
        Assert.Contains("version 2", AssertRefused(file, VectorFormat.Native).Message);
        Assert.Contains("magic", AssertRefused(SavedBytes(VectorFormat.Word2VecBinary), VectorFormat.Native).Message);
    }

    [Fact]
    public void Unsaveable_vectors_are_refused_before_a_file_is_created()
    {
        using var nan = TestVectors.Create(("a", [float.NaN]));
        using var spaced = TestVectors.Create(("a b", [1f]));
        Assert.Throws<ArgumentException>(() => VectorFile.Save(nan, _folder.File("x"), VectorFormat.Native));
        Assert.Throws<ArgumentException>(() => VectorFile.Save(spaced, _folder.File("x"), VectorFormat.Word2VecText));
        Assert.Empty(_folder.Entries());
        VectorFile.Save(spaced, _folder.File("x"), VectorFormat.Native); // length-prefixed words may hold spaces
        using var loaded = VectorFile.Load(_folder.File("x"));
        Assert.Equal("a b", loaded.Words[0]);
    }

    private VectorFormatException AssertRefused(byte[] contents, VectorFormat? format)
    {
        string path = WriteBytes(contents);
        var error = Assert.Throws<VectorFormatException>(() => VectorFile.Load(path, format));
        Assert.Contains(path, error.Message);
        return error;
    }

    private byte[] SavedBytes(VectorFormat format, KeyedVectors? vectors = null)
    {
        using var sample = TestVectors.Random(count: 5, dimension: 4);
        string path = _folder.File("saved-" + Guid.NewGuid().ToString("N"));
        VectorFile.Save(vectors ?? sample, path, format);
        byte[] bytes = File.ReadAllBytes(path);
        File.Delete(path);
        return bytes;
    }

    /// <summary>Byte offset where row <paramref name="row"/> starts in a file saved from the 5 × 4 sample.</summary>
    private static int RowStart(byte[] file, VectorFormat format, int row)
    {
        switch (format)
        {
            case VectorFormat.Native:
                int matrixOffset = (int)BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(40));
                return matrixOffset + row * 4 * sizeof(float);
            case VectorFormat.Word2VecBinary:
                int offset = Array.IndexOf(file, (byte)'\n') + 1;
                for (int r = 0; r < row; r++) offset = Array.IndexOf(file, (byte)' ', offset) + 1 + 4 * sizeof(float) + 1;
                return offset;
            default:
                int lineStart = 0;
                int skip = format == VectorFormat.GloVeText ? row : row + 1;
                for (int r = 0; r < skip; r++) lineStart = Array.IndexOf(file, (byte)'\n', lineStart) + 1;
                return lineStart;
        }
    }

    private string WriteBytes(byte[] bytes)
    {
        string path = _folder.File(Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void FixChecksum(byte[] file) =>
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), Crc32C.Compute(file.AsSpan(0, file.Length - 4)));
}
