using System.Buffers.Binary;
using System.Text;
using EmbedEngine.Vectors.Formats;

namespace EmbedEngine.Vectors.Tests;

/// <summary>Lenient reading of files written by other tools, and format detection.</summary>
public sealed class ReadingTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Text_accepts_tabs_repeated_spaces_crlf_bom_blank_lines_and_no_final_newline()
    {
        string path = Write("2 3\r\n\r\nthe\t1  -2.5e0 3 \r\n\n  über 4 5 6", Encoding.UTF8);
        using var vectors = VectorFile.Load(path, VectorFormat.Word2VecText);
        Assert.Equal(["the", "über"], vectors.Words);
        Assert.Equal([1f, -2.5f, 3], vectors.Vector("the").ToArray());
        Assert.Equal([4f, 5, 6], vectors.Vector(1).ToArray());
    }

    [Fact]
    public void Words_keep_non_ascii_spaces()
    {
        // fastText and word2vec split on ASCII whitespace only; U+00A0 belongs to the word.
        string path = Write("1 2\nnew\u00A0york 0.5 0.25\n");
        using var vectors = VectorFile.Load(path);
        Assert.Equal("new\u00A0york", vectors.Words[0]);
    }

    [Fact]
    public void GloVe_takes_its_dimension_from_the_first_row()
    {
        string path = Write("the 0.1 0.2 0.3 0.4\nof 1 2 3 4\n\nand -1 -2 -3 -4\n");
        Assert.Equal(VectorFormat.GloVeText, FormatDetector.Detect(path));
        using var vectors = VectorFile.Load(path);
        Assert.Equal(3, vectors.Count);
        Assert.Equal(4, vectors.Dimension);
        Assert.Equal([-1f, -2, -3, -4], vectors.Vector("and").ToArray());
    }

    [Fact]
    public void Binary_without_newlines_after_vectors_reads_the_same()
    {
        var bytes = new List<byte>("2 2\n"u8.ToArray());
        bytes.AddRange("ab "u8.ToArray());
        bytes.AddRange(Floats(1.5f, -2f));
        bytes.AddRange("cd "u8.ToArray());
        bytes.AddRange(Floats(0.25f, 8f));
        string path = WriteBytes([.. bytes]);
        Assert.Equal(VectorFormat.Word2VecBinary, FormatDetector.Detect(path));
        using var vectors = VectorFile.Load(path);
        Assert.Equal(["ab", "cd"], vectors.Words);
        Assert.Equal([0.25f, 8f], vectors.Vector("cd").ToArray());
    }

    [Theory]
    [InlineData(VectorFormat.Word2VecText, VectorFormat.Word2VecText)]
    [InlineData(VectorFormat.FastTextVec, VectorFormat.Word2VecText)]
    [InlineData(VectorFormat.Word2VecBinary, VectorFormat.Word2VecBinary)]
    [InlineData(VectorFormat.GloVeText, VectorFormat.GloVeText)]
    [InlineData(VectorFormat.Native, VectorFormat.Native)]
    public void Detection_recognises_every_written_format(VectorFormat written, VectorFormat detected)
    {
        foreach (int dimension in new[] { 1, 2, 300 })
        {
            using var vectors = TestVectors.Random(count: 20, dimension, seed: dimension);
            string path = _folder.File($"detect-{dimension}");
            VectorFile.Save(vectors, path, written);
            Assert.Equal(detected, FormatDetector.Detect(path));
        }
    }

    [Fact]
    public void Detection_of_binary_is_not_fooled_by_a_newline_byte_inside_the_first_vector()
    {
        // 0x0A as the first byte of the first float would end a text line immediately.
        float tricky = BinaryPrimitives.ReadSingleLittleEndian([0x0A, 0x00, 0x80, 0x3F]);
        var bytes = new List<byte>("1 2\nx "u8.ToArray());
        bytes.AddRange(Floats(tricky, 1f));
        bytes.Add((byte)'\n');
        Assert.Equal(VectorFormat.Word2VecBinary, FormatDetector.Detect(WriteBytes([.. bytes])));
    }

    [Theory]
    [InlineData("v.bin", VectorFormat.Word2VecBinary)]
    [InlineData("dir/v.VEC", VectorFormat.FastTextVec)]
    [InlineData("v.txt", VectorFormat.Word2VecText)]
    [InlineData("v.eev", VectorFormat.Native)]
    public void Format_follows_the_extension(string path, VectorFormat expected) =>
        Assert.Equal(expected, VectorFile.FormatFromExtension(path));

    [Fact]
    public void Unknown_extensions_are_refused() =>
        Assert.Contains(".npy", Assert.Throws<ArgumentException>(() => VectorFile.FormatFromExtension("v.npy")).Message);

    private string Write(string text, Encoding? encoding = null)
    {
        string path = _folder.File(Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, text, encoding ?? new UTF8Encoding(false));
        return path;
    }

    private string WriteBytes(byte[] bytes)
    {
        string path = _folder.File(Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }
}
