using System.Buffers.Binary;
using System.IO.Compression;

namespace EmbedEngine.Models.Mlp;

/// <summary>
/// The idx format of the MNIST files, plain or gzip: a big-endian magic (two zero bytes, the element type 0x08 for
/// unsigned bytes, the number of dimensions), the big-endian size of each dimension, then the elements.
/// </summary>
public static class IdxFile
{
    private const byte UnsignedByte = 0x08;

    /// <summary>Most elements accepted, a guard against a forged header (MNIST's 70k images are 55M).</summary>
    private const long MaxElements = 1L << 30;

    /// <summary>The idx file <paramref name="name"/> in <paramref name="folder"/>, plain or with .gz.</summary>
    /// <exception cref="FileNotFoundException">Neither exists.</exception>
    public static string Find(string folder, string name)
    {
        foreach (string candidate in new[] { name, name + ".gz" })
        {
            string path = Path.Combine(folder, candidate);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException($"{folder} has no {name} or {name}.gz (an MNIST-style data folder holds the train- and t10k- images and labels).", Path.Combine(folder, name));
    }

    /// <summary>Reads images [count, rows, columns] of bytes.</summary>
    public static IdxImages ReadImages(string path)
    {
        (int[] sizes, byte[] data) = Read(path, expectedDimensions: 3);
        return new IdxImages(data, sizes[0], sizes[1], sizes[2]);
    }

    /// <summary>Reads a vector of byte labels.</summary>
    public static byte[] ReadLabels(string path) => Read(path, expectedDimensions: 1).Data;

    private static (int[] Sizes, byte[] Data) Read(string path, int expectedDimensions)
    {
        using Stream file = File.OpenRead(path);
        using Stream stream = IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : file;
        Span<byte> magic = stackalloc byte[4];
        if (stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) < 4) throw Bad(path, "it is shorter than the 4-byte magic number");
        if (magic[0] != 0 || magic[1] != 0 || magic[2] != UnsignedByte)
            throw Bad(path, $"the magic number {Convert.ToHexString(magic)} is not that of an idx file of unsigned bytes (0000080N)");
        if (magic[3] != expectedDimensions) throw Bad(path, $"it has {magic[3]} dimensions where {expectedDimensions} were expected");
        var sizes = new int[expectedDimensions];
        Span<byte> size = stackalloc byte[4];
        long count = 1;
        for (int d = 0; d < expectedDimensions; d++)
        {
            if (stream.ReadAtLeast(size, 4, throwOnEndOfStream: false) < 4) throw Bad(path, "the header is cut short");
            sizes[d] = BinaryPrimitives.ReadInt32BigEndian(size);
            if (sizes[d] <= 0) throw Bad(path, $"dimension {d} has size {sizes[d]}");
            count *= sizes[d];
            if (count > MaxElements) throw Bad(path, $"the header declares more than {MaxElements} elements");
        }
        var data = new byte[count];
        int read = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (read < data.Length) throw Bad(path, $"the header declares {count} elements but only {read} follow");
        return (sizes, data);
    }

    private static bool IsGzip(Stream file)
    {
        Span<byte> head = stackalloc byte[2];
        int read = file.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && head[0] == 0x1f && head[1] == 0x8b;
    }

    private static InvalidDataException Bad(string path, string problem) => new($"{path} is not a valid idx file: {problem}.");
}
