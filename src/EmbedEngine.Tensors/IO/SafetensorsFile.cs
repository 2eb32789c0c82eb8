using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using EmbedEngine.Kernels.IO;

namespace EmbedEngine.Tensors.IO;

/// <summary>
/// The safetensors format: an 8-byte little-endian header length, a JSON header naming each tensor's dtype, shape
/// and byte range, then the raw little-endian data. Only F32 tensors are read and written. Files are written
/// atomically; a header is checked against the file's size and the format's rules before anything is allocated
/// for the tensors it declares.
/// </summary>
public static class SafetensorsFile
{
    /// <summary>Largest header accepted (the reference implementation's limit).</summary>
    public const int MaxHeaderBytes = 100_000_000;

    private const string MetadataKey = "__metadata__";

    /// <summary>Writes <paramref name="tensors"/> (name → tensor) and optional string metadata to <paramref name="path"/>.</summary>
    public static unsafe void Save(string path, IReadOnlyList<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in tensors)
        {
            if (string.IsNullOrEmpty(name) || name == MetadataKey) throw new ArgumentException($"'{name}' cannot name a tensor.", nameof(tensors));
            if (!names.Add(name)) throw new ArgumentException($"Two tensors are named '{name}'.", nameof(tensors));
        }
        byte[] header = Header(tensors, metadata);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (var (_, tensor) in tensors)
            {
                // A tensor on a GPU is written from a host copy, so a model trained there loads anywhere.
                Tensor contiguous = tensor.Device.Kind == DeviceKind.Gpu ? tensor.To(Device.Cpu) : tensor.IsContiguous ? tensor : tensor.Clone();
                try
                {
                    WriteLittleEndian(stream, new ReadOnlySpan<float>(contiguous.Data, contiguous.Count));
                }
                finally
                {
                    if (contiguous != tensor) contiguous.Dispose();
                }
            }
        });
    }

    /// <summary>Reads every tensor of <paramref name="path"/>, in the file's order, as tensors the caller owns.</summary>
    /// <exception cref="SafetensorsFormatException">The file breaks the format.</exception>
    public static SafetensorsContents Load(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        (List<SafetensorsEntry> entries, Dictionary<string, string> metadata, ulong headerLength) = ReadHeader(stream, path);

        var loaded = new List<KeyValuePair<string, Tensor>>(entries.Count);
        try
        {
            foreach (SafetensorsEntry entry in entries)
            {
                Tensor tensor = Tensor.Owned(entry.Shape, zero: false);
                loaded.Add(new(entry.Name, tensor));
                stream.Position = 8 + (long)headerLength + entry.Begin;
                ReadLittleEndian(stream, tensor);
            }
        }
        catch
        {
            foreach (var (_, tensor) in loaded) tensor.Dispose();
            throw;
        }
        return new SafetensorsContents(loaded, metadata);
    }

    /// <summary>The metadata of <paramref name="path"/>'s header, without reading its tensors (to tell what a file holds).</summary>
    /// <exception cref="SafetensorsFormatException">The file breaks the format.</exception>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return ReadHeader(stream, path).Metadata;
    }

    /// <summary>The header at the start of <paramref name="stream"/>: the tensors' places, the metadata and the header's length.</summary>
    private static (List<SafetensorsEntry> Entries, Dictionary<string, string> Metadata, ulong Length) ReadHeader(FileStream stream, string path)
    {
        long fileLength = stream.Length;
        if (fileLength < 8) throw Bad(path, $"it is {fileLength} bytes, shorter than the 8-byte header length");
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderBytes) throw Bad(path, $"the header claims {headerLength} bytes, more than the {MaxHeaderBytes} allowed");
        if ((long)headerLength > fileLength - 8) throw Bad(path, $"the header claims {headerLength} bytes but only {fileLength - 8} follow");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataLength = fileLength - 8 - (long)headerLength;
        List<SafetensorsEntry> entries = SafetensorsHeader.Parse(path, header, dataLength, out Dictionary<string, string> metadata);
        return (entries, metadata, headerLength);
    }

    private static byte[] Header(IReadOnlyList<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                json.WriteStartObject(name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                for (int d = 0; d < tensor.Rank; d++) json.WriteNumberValue(tensor.Shape[d]);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += (long)tensor.Count * sizeof(float);
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        // Spaces pad the header so the data starts 8-byte aligned, as the format recommends.
        int padding = (int)((8 - buffer.Length % 8) % 8);
        for (int i = 0; i < padding; i++) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }

    private static void WriteLittleEndian(Stream stream, ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));
            return;
        }
        Span<byte> one = stackalloc byte[4];
        foreach (float value in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(one, value);
            stream.Write(one);
        }
    }

    private static unsafe void ReadLittleEndian(Stream stream, Tensor tensor)
    {
        var bytes = new Span<byte>(tensor.Data, tensor.Count * sizeof(float));
        stream.ReadExactly(bytes);
        if (!BitConverter.IsLittleEndian)
        {
            var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(bytes);
            BinaryPrimitives.ReverseEndianness(words, words);
        }
    }

    internal static SafetensorsFormatException Bad(string path, string problem) =>
        new($"{path} is not a valid safetensors file: {problem}.");
}
