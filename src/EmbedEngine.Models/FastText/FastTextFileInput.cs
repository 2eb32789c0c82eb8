using System.Buffers.Binary;
using EmbedEngine.Vectors;
using EmbedEngine.Vectors.Formats;

namespace EmbedEngine.Models.FastText;

/// <summary>
/// Reads the little-endian fields of a fastText model one by one, turning an early end of file into an error that
/// names the file, the offset and the field that was cut short.
/// </summary>
internal sealed class FastTextFileInput : IDisposable
{
    private readonly FileStream _stream;

    public FastTextFileInput(string path)
    {
        Path = path;
        _stream = VectorFileStreams.OpenRead(path);
    }

    /// <summary>The file, for error messages.</summary>
    public string Path { get; }

    /// <summary>Offset of the next byte to read.</summary>
    public long Position => _stream.Position;

    /// <summary>Bytes left after <see cref="Position"/>.</summary>
    public long Remaining => _stream.Length - _stream.Position;

    public int ReadInt32(string field)
    {
        Span<byte> bytes = stackalloc byte[sizeof(int)];
        Read(bytes, field);
        return BinaryPrimitives.ReadInt32LittleEndian(bytes);
    }

    public long ReadInt64(string field)
    {
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        Read(bytes, field);
        return BinaryPrimitives.ReadInt64LittleEndian(bytes);
    }

    public double ReadDouble(string field)
    {
        Span<byte> bytes = stackalloc byte[sizeof(double)];
        Read(bytes, field);
        return BinaryPrimitives.ReadDoubleLittleEndian(bytes);
    }

    public byte ReadByte(string field)
    {
        Span<byte> bytes = stackalloc byte[1];
        Read(bytes, field);
        return bytes[0];
    }

    /// <summary>
    /// Reads bytes up to a NUL (consumed, not stored) into <paramref name="buffer"/> and returns their count, or fails
    /// naming <paramref name="field"/> when the file ends first or no NUL comes within the buffer.
    /// </summary>
    public int ReadUntilNul(byte[] buffer, string field)
    {
        long offset = Position;
        for (int length = 0; ; length++)
        {
            int b = _stream.ReadByte();
            if (b == 0) return length;
            if (b < 0) throw Fail(offset, $"the file ends inside {field}; it is truncated.");
            if (length == buffer.Length)
                throw Fail(offset, $"{field} has no terminating NUL within {buffer.Length} bytes; the dictionary is corrupted.");
            buffer[length] = (byte)b;
        }
    }

    /// <summary>Fills <paramref name="destination"/>, or fails naming <paramref name="field"/>.</summary>
    public void Read(Span<byte> destination, string field)
    {
        long offset = Position;
        int read = _stream.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false);
        if (read < destination.Length)
            throw Fail(offset, $"the file ends inside {field}: expected {destination.Length} bytes, found {read}; it is truncated.");
    }

    /// <summary>An error at <paramref name="offset"/> of this file.</summary>
    public VectorFormatException Fail(long offset, string problem) => VectorFormatException.AtOffset(Path, offset, problem);

    public void Dispose() => _stream.Dispose();
}
