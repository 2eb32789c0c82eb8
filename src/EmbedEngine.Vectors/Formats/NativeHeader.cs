using System.Buffers.Binary;
using EmbedEngine.Kernels;

namespace EmbedEngine.Vectors.Formats;

/// <summary>
/// The fixed 64-byte header of the native format (.eev). All numbers are little-endian:
/// <code>
///  0  magic "EMBEDVEC"          8 bytes
///  8  version                   uint32 (1)
/// 12  dimension                 int32
/// 16  word count                int64
/// 24  vocabulary offset         int64 (64: right after the header)
/// 32  vocabulary byte length    int64 (per word: int32 byte length, then the UTF-8 bytes)
/// 40  matrix offset             int64 (first multiple of 64 after the vocabulary; zero padding between)
/// 48  checksum offset           int64 (matrix offset + count * dimension * 4)
/// 56  reserved                  8 zero bytes
/// </code>
/// The row-major float32 matrix (stride = dimension) follows, then a CRC-32C of every byte before it.
/// The file ends right after the checksum.
/// </summary>
internal readonly record struct NativeHeader(int Dimension, long Count, long VocabularyBytes, long MatrixOffset,
    long ChecksumOffset)
{
    /// <summary>First bytes of every native vectors file.</summary>
    public static ReadOnlySpan<byte> Magic => "EMBEDVEC"u8;

    /// <summary>The layout version this code reads and writes.</summary>
    public const uint CurrentVersion = 1;

    /// <summary>Size of the header, which is also where the vocabulary starts.</summary>
    public const int Size = 64;

    /// <summary>Bytes of the trailing CRC-32C.</summary>
    public const int ChecksumSize = sizeof(uint);

    /// <summary>Total file length this header implies.</summary>
    public long FileLength => ChecksumOffset + ChecksumSize;

    /// <summary>The header for <paramref name="count"/> words whose vocabulary section takes <paramref name="vocabularyBytes"/>.</summary>
    public static NativeHeader For(int dimension, long count, long vocabularyBytes)
    {
        long matrixOffset = AlignUp(Size + vocabularyBytes);
        return new NativeHeader(dimension, count, vocabularyBytes, matrixOffset,
            matrixOffset + count * dimension * sizeof(float));
    }

    /// <summary>Writes the header into its first <see cref="Size"/> bytes of <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        destination[..Size].Clear();
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], CurrentVersion);
        BinaryPrimitives.WriteInt32LittleEndian(destination[12..], Dimension);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], Count);
        BinaryPrimitives.WriteInt64LittleEndian(destination[24..], Size);
        BinaryPrimitives.WriteInt64LittleEndian(destination[32..], VocabularyBytes);
        BinaryPrimitives.WriteInt64LittleEndian(destination[40..], MatrixOffset);
        BinaryPrimitives.WriteInt64LittleEndian(destination[48..], ChecksumOffset);
    }

    /// <summary>
    /// Reads and validates a header: every field must be in range and every offset must be the one the layout
    /// implies for the stated count, dimension and vocabulary length, and the file length must match, so no
    /// later read can run past the end of the file.
    /// </summary>
    public static NativeHeader Parse(string path, ReadOnlySpan<byte> header, long fileLength)
    {
        if (!header.StartsWith(Magic))
            throw VectorFormatException.AtOffset(path, 0,
                "expected the magic 'EMBEDVEC' of an EmbedEngine native vectors file.");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != CurrentVersion)
            throw VectorFormatException.AtOffset(path, 8,
                $"format version {version} is not supported; this build reads version {CurrentVersion}.");
        var shape = VectorShape.Check(path, BinaryPrimitives.ReadInt64LittleEndian(header[16..]),
            BinaryPrimitives.ReadInt32LittleEndian(header[12..]), lineNumber: null, offset: 12);
        long vocabularyOffset = BinaryPrimitives.ReadInt64LittleEndian(header[24..]);
        if (vocabularyOffset != Size)
            throw VectorFormatException.AtOffset(path, 24,
                $"the vocabulary offset is {vocabularyOffset}; expected {Size}, right after the header.");
        long vocabularyBytes = BinaryPrimitives.ReadInt64LittleEndian(header[32..]);
        // Each word takes at least its 4-byte length prefix.
        if (vocabularyBytes < 4L * shape.Count || vocabularyBytes > fileLength)
            throw VectorFormatException.AtOffset(path, 32,
                $"the vocabulary length {vocabularyBytes} is impossible for {shape.Count} words in a {fileLength}-byte file.");
        var expected = For(shape.Dimension, shape.Count, vocabularyBytes);
        CheckOffset(path, 40, "matrix", BinaryPrimitives.ReadInt64LittleEndian(header[40..]), expected.MatrixOffset);
        CheckOffset(path, 48, "checksum", BinaryPrimitives.ReadInt64LittleEndian(header[48..]), expected.ChecksumOffset);
        if (header[56..Size].ContainsAnyExcept((byte)0))
            throw VectorFormatException.AtOffset(path, 56, "the reserved header bytes are not zero.");
        if (fileLength != expected.FileLength)
            throw VectorFormatException.AtOffset(path, Math.Min(fileLength, expected.FileLength),
                $"the file has {fileLength} bytes, but its header implies {expected.FileLength}; it is truncated or has trailing data.");
        return expected;
    }

    private static void CheckOffset(string path, long fieldOffset, string section, long actual, long expected)
    {
        if (actual != expected)
            throw VectorFormatException.AtOffset(path, fieldOffset,
                $"the {section} offset is {actual}; the header's other fields imply {expected}.");
    }

    private static long AlignUp(long offset) =>
        (offset + NativeMatrix.Alignment - 1) / NativeMatrix.Alignment * NativeMatrix.Alignment;
}
