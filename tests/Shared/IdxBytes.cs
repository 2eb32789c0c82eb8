using System.Buffers.Binary;
using System.IO.Compression;

namespace EmbedEngine.Tests.Shared;

/// <summary>
/// The bytes of idx files for test fixtures (linked into the test projects that need them): any header, so a test
/// can also forge one that disagrees with the data that follows.
/// </summary>
internal static class IdxBytes
{
    /// <summary>An idx file of unsigned bytes whose header declares <paramref name="sizes"/>, followed by <paramref name="data"/>.</summary>
    public static byte[] Of(byte[] data, params int[] sizes)
    {
        var bytes = new byte[4 + 4 * sizes.Length + data.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)sizes.Length;
        for (int d = 0; d < sizes.Length; d++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), sizes[d]);
        data.CopyTo(bytes, 4 + 4 * sizes.Length);
        return bytes;
    }

    /// <summary><paramref name="bytes"/> gzip-compressed, as MNIST's files are distributed.</summary>
    public static byte[] Gzip(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest)) gzip.Write(bytes);
        return buffer.ToArray();
    }
}
