using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using EmbedEngine.Kernels;
using EmbedEngine.Kernels.IO;

namespace EmbedEngine.Models.FastText.Supervised;

/// <summary>Little-endian values written to a stream while their CRC-32C is kept, for a file that ends in its checksum.</summary>
internal sealed class ChecksummedWriter(Stream stream)
{
    private readonly ChecksummedStream _output = new(stream);

    /// <summary>The CRC-32C of everything written so far.</summary>
    public uint Checksum => _output.Checksum;

    public void Write(ReadOnlySpan<byte> bytes) => _output.Write(bytes);

    public void WriteInt32(int value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        Write(bytes);
    }

    public void WriteInt64(long value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        Write(bytes);
    }

    /// <summary>A length in bytes, then the UTF-8 bytes.</summary>
    public void WriteString(ReadOnlySpan<byte> utf8)
    {
        WriteInt32(utf8.Length);
        Write(utf8);
    }

    /// <summary>The used columns of every row, row after row (float32, little-endian as on x86 and ARM).</summary>
    public void WriteMatrix(NativeMatrix matrix)
    {
        for (int row = 0; row < matrix.Rows; row++) Write(MemoryMarshal.AsBytes<float>(matrix.Row(row)));
    }
}

/// <summary>
/// Reads what <see cref="ChecksummedWriter"/> wrote, keeping the CRC-32C of what it read; a file that ends early
/// is reported with its path and the offset where it ended.
/// </summary>
internal sealed class ChecksummedReader(Stream stream, string path)
{
    /// <summary>The CRC-32C of everything read so far.</summary>
    public uint Checksum { get; private set; }

    /// <summary>Bytes read so far.</summary>
    public long Position { get; private set; }

    public void Read(Span<byte> bytes)
    {
        int read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (read < bytes.Length)
            throw new InvalidDataException($"'{path}' ends at byte {Position + read}, in the middle of a classifier model; the file is truncated");
        Checksum = Crc32C.Append(Checksum, bytes);
        Position += bytes.Length;
    }

    public int ReadInt32()
    {
        Span<byte> bytes = stackalloc byte[sizeof(int)];
        Read(bytes);
        return BinaryPrimitives.ReadInt32LittleEndian(bytes);
    }

    public long ReadInt64()
    {
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        Read(bytes);
        return BinaryPrimitives.ReadInt64LittleEndian(bytes);
    }

    /// <summary>A string of at most <paramref name="maxBytes"/> UTF-8 bytes.</summary>
    public string ReadString(int maxBytes)
    {
        long at = Position;
        int length = ReadInt32();
        if (length < 0 || length > maxBytes)
            throw new InvalidDataException($"'{path}' at byte {at}: a string of {length} bytes, expected 0..{maxBytes}");
        var bytes = new byte[length];
        Read(bytes);
        return Encoding.UTF8.GetString(bytes);
    }

    public void ReadMatrix(NativeMatrix matrix)
    {
        for (int row = 0; row < matrix.Rows; row++) Read(MemoryMarshal.AsBytes(matrix.Row(row)));
    }
}
