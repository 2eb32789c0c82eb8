namespace EmbedEngine.Kernels.IO;

/// <summary>Writes bytes to a stream while keeping their CRC-32C and count, for files that end in a checksum.</summary>
public sealed class ChecksummedStream(Stream stream)
{
    /// <summary>The CRC-32C of every byte written so far.</summary>
    public uint Checksum { get; private set; }

    /// <summary>How many bytes have been written.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Writes <paramref name="bytes"/> and folds them into the checksum.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        Checksum = Crc32C.Append(Checksum, bytes);
        BytesWritten += bytes.Length;
        stream.Write(bytes);
    }
}
