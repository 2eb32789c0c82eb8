using EmbedEngine.Kernels.IO;
using System.Buffers.Binary;
using System.Text;

namespace EmbedEngine.Vectors.Tests;

/// <summary>Files are written byte for byte as the original tools write them.</summary>
public sealed class ByteLayoutTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static KeyedVectors Sample() => TestVectors.Create(("the", [1f, -0.5f, 1e-5f]), ("café", [0.1f, 123456f, -1e-7f]));

    [Fact]
    public void Word2Vec_binary_matches_word2vec_c()
    {
        // word2vec.c: fprintf("%lld %lld\n"), then per word fprintf("%s "), fwrite each float, fprintf("\n").
        var expected = new List<byte>();
        expected.AddRange("2 3\n"u8);
        expected.AddRange("the "u8);
        foreach (float v in new[] { 1f, -0.5f, 1e-5f }) expected.AddRange(LittleEndian(v));
        expected.Add((byte)'\n');
        expected.AddRange([0x63, 0x61, 0x66, 0xC3, 0xA9, 0x20]); // "café " in UTF-8
        foreach (float v in new[] { 0.1f, 123456f, -1e-7f }) expected.AddRange(LittleEndian(v));
        expected.Add((byte)'\n');

        Assert.Equal(expected, SaveBytes(VectorFormat.Word2VecBinary));
    }

    [Fact]
    public void Word2Vec_text_matches_word2vec_c()
    {
        // word2vec.c: "%s " then "%lf " per value, then "\n": every value is followed by a space.
        Assert.Equal(
            "2 3\nthe 1.000000 -0.500000 0.000010 \ncafé 0.100000 123456.000000 -0.000000 \n",
            Encoding.UTF8.GetString(SaveBytes(VectorFormat.Word2VecText)));
    }

    [Fact]
    public void FastText_vec_matches_fasttext()
    {
        // fastText: word, " ", each value with setprecision(5) followed by ' ', then std::endl.
        Assert.Equal(
            "2 3\nthe 1 -0.5 1e-05 \ncafé 0.1 1.2346e+05 -1e-07 \n",
            Encoding.UTF8.GetString(SaveBytes(VectorFormat.FastTextVec)));
    }

    [Fact]
    public void GloVe_text_matches_glove()
    {
        // glove.c: "%s" then " %lf" per value, then "\n"; no header.
        Assert.Equal(
            "the 1.000000 -0.500000 0.000010\ncafé 0.100000 123456.000000 -0.000000\n",
            Encoding.UTF8.GetString(SaveBytes(VectorFormat.GloVeText)));
    }

    [Fact]
    public void Native_layout_has_the_documented_header_alignment_and_checksum()
    {
        byte[] file = SaveBytes(VectorFormat.Native);
        ReadOnlySpan<byte> bytes = file;
        Assert.True(bytes.StartsWith("EMBEDVEC"u8));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]));
        Assert.Equal(3, BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]));
        Assert.Equal(2L, BinaryPrimitives.ReadInt64LittleEndian(bytes[16..]));
        Assert.Equal(64L, BinaryPrimitives.ReadInt64LittleEndian(bytes[24..]));
        long vocabularyBytes = BinaryPrimitives.ReadInt64LittleEndian(bytes[32..]);
        Assert.Equal(4 + 3 + 4 + 5, vocabularyBytes);
        long matrixOffset = BinaryPrimitives.ReadInt64LittleEndian(bytes[40..]);
        Assert.Equal(128L, matrixOffset);
        long checksumOffset = BinaryPrimitives.ReadInt64LittleEndian(bytes[48..]);
        Assert.Equal(128L + 2 * 3 * 4, checksumOffset);
        Assert.Equal(checksumOffset + 4, file.Length);

        Assert.Equal(3, BinaryPrimitives.ReadInt32LittleEndian(bytes[64..]));
        Assert.True(bytes[68..71].SequenceEqual("the"u8));
        Assert.Equal(5, BinaryPrimitives.ReadInt32LittleEndian(bytes[71..]));
        Assert.True(bytes[(64 + (int)vocabularyBytes)..128].IndexOfAnyExcept((byte)0) < 0);
        Assert.Equal(123456f, BinaryPrimitives.ReadSingleLittleEndian(bytes[(128 + 4 * 4)..]));
        Assert.Equal(Crc32C.Compute(bytes[..(int)checksumOffset]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[(int)checksumOffset..]));
    }

    private byte[] SaveBytes(VectorFormat format)
    {
        using var vectors = Sample();
        string path = _folder.File("sample");
        VectorFile.Save(vectors, path, format);
        return File.ReadAllBytes(path);
    }

    private static byte[] LittleEndian(float value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        return bytes;
    }
}
