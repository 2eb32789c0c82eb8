using EmbedEngine.Kernels.IO;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using EmbedEngine.Vectors.IO;

namespace EmbedEngine.Vectors.Formats;

/// <summary>Writes the native layout described on <see cref="NativeHeader"/>, computing the CRC-32C on the way.</summary>
internal static class NativeVectorWriter
{
    public static void Write(Stream stream, KeyedVectors vectors)
    {
        long vocabularyBytes = 0;
        foreach (string word in vectors.Words) vocabularyBytes += sizeof(int) + Encoding.UTF8.GetByteCount(word);
        var header = NativeHeader.For(vectors.Dimension, vectors.Count, vocabularyBytes);
        var output = new ChecksummedOutput(stream);

        Span<byte> headerBytes = stackalloc byte[NativeHeader.Size];
        header.WriteTo(headerBytes);
        output.Write(headerBytes);

        Span<byte> length = stackalloc byte[sizeof(int)];
        foreach (string word in vectors.Words)
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(word);
            BinaryPrimitives.WriteInt32LittleEndian(length, utf8.Length);
            output.Write(length);
            output.Write(utf8);
        }

        Span<byte> padding = stackalloc byte[(int)(header.MatrixOffset - NativeHeader.Size - vocabularyBytes)];
        padding.Clear();
        output.Write(padding);

        for (int row = 0; row < vectors.Count; row++) output.Write(MemoryMarshal.AsBytes(vectors.Vector(row)));

        Span<byte> checksum = stackalloc byte[NativeHeader.ChecksumSize];
        BinaryPrimitives.WriteUInt32LittleEndian(checksum, output.Checksum);
        stream.Write(checksum);
    }

    /// <summary>Writes to a stream while keeping the CRC-32C of everything written.</summary>
    private sealed class ChecksummedOutput(Stream stream)
    {
        public uint Checksum { get; private set; }

        public void Write(ReadOnlySpan<byte> bytes)
        {
            Checksum = Crc32C.Append(Checksum, bytes);
            stream.Write(bytes);
        }
    }
}
