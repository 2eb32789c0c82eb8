using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using EmbedEngine.Kernels;
using EmbedEngine.Kernels.IO;
using EmbedEngine.Text;

namespace EmbedEngine.Models.Count;

/// <summary>
/// The binary file of weighted document vectors (<see cref="CsrMatrix"/>) that <c>embed tfidf search</c>
/// searches, all little-endian:
/// <code>
/// "EETFIDX2", uint32 fingerprint of the model that weighed them (<see cref="TfIdfModel.Fingerprint"/>),
/// int32 rows, int32 columns, int64 nonzeros, int64 bytes of the names section,
/// int64 row starts [rows + 1], int32 columns [nonzeros], float32 values [nonzeros],
/// names section: int32 name count (0, or one per row), then per name int32 byte length and its UTF-8 bytes,
/// uint32 CRC-32C of every byte before it
/// </code>
/// Version 1 ("EETFIDX1") stored float64 values; it is refused with a request to write the index again.
/// </summary>
public static class TfIdfIndexFile
{
    private const int HeaderBytes = 36;
    private const int ChecksumBytes = 4;

    private static ReadOnlySpan<byte> Magic => "EETFIDX2"u8;

    private static ReadOnlySpan<byte> Version1Magic => "EETFIDX1"u8;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Writes <paramref name="indexed"/>, weighed by <paramref name="model"/>, to <paramref name="path"/> atomically.</summary>
    /// <exception cref="ArgumentException">There are names, but not one per row.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save(string path, TfIdfModel model, IndexedDocuments indexed)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(indexed);
        CsrMatrix documents = indexed.Vectors;
        if (indexed.Names is { } given && given.Count != documents.Rows)
            throw new ArgumentException($"{given.Count} names for {documents.Rows} documents.", nameof(indexed));
        byte[] names = SerializeNames(indexed.Names);
        AtomicFile.Write(path, stream =>
        {
            uint checksum = 0;
            Span<byte> header = stackalloc byte[HeaderBytes];
            Magic.CopyTo(header);
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], model.Fingerprint);
            BinaryPrimitives.WriteInt32LittleEndian(header[12..], documents.Rows);
            BinaryPrimitives.WriteInt32LittleEndian(header[16..], documents.Columns);
            BinaryPrimitives.WriteInt64LittleEndian(header[20..], documents.NonZeros);
            BinaryPrimitives.WriteInt64LittleEndian(header[28..], names.Length);
            Write(stream, header, ref checksum);
            Write(stream, MemoryMarshal.AsBytes(documents.RowStarts), ref checksum);
            Write(stream, MemoryMarshal.AsBytes(documents.ColumnIndices), ref checksum);
            Write(stream, MemoryMarshal.AsBytes(documents.Values), ref checksum);
            Write(stream, names, ref checksum);
            Span<byte> trailer = stackalloc byte[ChecksumBytes];
            BinaryPrimitives.WriteUInt32LittleEndian(trailer, checksum);
            stream.Write(trailer);
        });
    }

    /// <summary>Reads document vectors written by <see cref="Save"/> for <paramref name="model"/>.</summary>
    /// <exception cref="CorpusException">
    /// The file is missing, truncated, damaged, or was weighed by another model; the message says which.
    /// </exception>
    public static IndexedDocuments Load(string path, TfIdfModel model)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(model);
        byte[] bytes = TfIdfFileBytes.Read(path, "index");
        if (bytes.AsSpan().StartsWith(Version1Magic))
            throw Corrupt(path, "it is a version 1 index, of float64 weights; write it again with 'embed tfidf fit' or 'embed tfidf transform'");
        if (bytes.Length < HeaderBytes + sizeof(long) + ChecksumBytes || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw Corrupt(path, "it does not start with \"EETFIDX2\"; it is not a TF-IDF index");
        ReadOnlySpan<byte> header = bytes.AsSpan(0, HeaderBytes);
        uint fingerprint = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        int rows = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
        int columns = BinaryPrimitives.ReadInt32LittleEndian(header[16..]);
        long nonZeros = BinaryPrimitives.ReadInt64LittleEndian(header[20..]);
        long nameBytes = BinaryPrimitives.ReadInt64LittleEndian(header[28..]);
        // Bounded first, so the size arithmetic below cannot overflow.
        if (rows < 0 || nonZeros < 0 || nonZeros > Array.MaxLength || nameBytes < sizeof(int) || nameBytes > Array.MaxLength)
            throw Corrupt(path, $"its header claims {rows} rows, {nonZeros} nonzeros and {nameBytes} bytes of names");
        long expected = HeaderBytes + ((rows + 1L) * sizeof(long)) + (nonZeros * (sizeof(int) + sizeof(float))) + nameBytes + ChecksumBytes;
        if (bytes.Length != expected)
            throw Corrupt(path, $"it is {bytes.Length} bytes, but its header ({rows} rows, {nonZeros} nonzeros, {nameBytes} bytes of names) needs {expected} (truncated or corrupt)");
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - ChecksumBytes));
        uint actual = Crc32C.Compute(bytes.AsSpan(0, bytes.Length - ChecksumBytes));
        if (stored != actual)
            throw Corrupt(path, $"its checksum is {stored:x8} but its contents hash to {actual:x8} (the file is damaged)");
        if (fingerprint != model.Fingerprint || columns != model.Features)
            throw Corrupt(path, $"it was weighed by another model (fingerprint {fingerprint:x8}, {columns} features; this model is {model.Fingerprint:x8}, {model.Features} features)");

        int offset = HeaderBytes;
        long[] rowStarts = Slice<long>(bytes, ref offset, rows + 1);
        int[] columnIndices = Slice<int>(bytes, ref offset, (int)nonZeros);
        float[] values = Slice<float>(bytes, ref offset, (int)nonZeros);
        foreach (float value in values)
            if (!float.IsFinite(value)) throw Corrupt(path, $"it holds the weight {value}, not a finite number");
        CsrMatrix documents;
        try
        {
            documents = new CsrMatrix(columns, rowStarts, columnIndices, values);
        }
        catch (ArgumentException e)
        {
            throw Corrupt(path, e.Message);
        }
        string[]? names = ParseNames(path, bytes.AsSpan(offset, (int)nameBytes), rows);
        return new IndexedDocuments(documents, names);
    }

    private static byte[] SerializeNames(IReadOnlyList<string>? names)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer))
        {
            writer.Write(names?.Count ?? 0);
            foreach (string name in names ?? [])
            {
                byte[] utf8 = Encoding.UTF8.GetBytes(name);
                writer.Write(utf8.Length);
                writer.Write(utf8);
            }
        }
        return buffer.ToArray();
    }

    private static string[]? ParseNames(string path, ReadOnlySpan<byte> section, int rows)
    {
        int count = BinaryPrimitives.ReadInt32LittleEndian(section);
        if (count != 0 && count != rows) throw Corrupt(path, $"it names {count} documents of {rows}");
        if (count == 0) return section.Length == sizeof(int) ? null : throw Corrupt(path, "bytes follow an empty names section");
        var names = new string[count];
        int at = sizeof(int);
        for (int i = 0; i < count; i++)
        {
            int length = section.Length - at >= sizeof(int) ? BinaryPrimitives.ReadInt32LittleEndian(section[at..]) : -1;
            at += sizeof(int);
            if (length < 0 || length > section.Length - at) throw Corrupt(path, $"the name of document {i} runs past its section");
            try
            {
                names[i] = StrictUtf8.GetString(section.Slice(at, length));
            }
            catch (DecoderFallbackException e)
            {
                throw new CorpusException($"The TF-IDF index '{path}' is unusable: the name of document {i} is not valid UTF-8.", e);
            }
            at += length;
        }
        return at == section.Length ? names : throw Corrupt(path, $"{section.Length - at} bytes follow the last name");
    }

    private static T[] Slice<T>(byte[] bytes, ref int offset, int count)
        where T : unmanaged
    {
        var array = new T[count];
        int length = count * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        bytes.AsSpan(offset, length).CopyTo(MemoryMarshal.AsBytes(array.AsSpan()));
        offset += length;
        return array;
    }

    private static void Write(Stream stream, ReadOnlySpan<byte> bytes, ref uint checksum)
    {
        checksum = Crc32C.Append(checksum, bytes);
        stream.Write(bytes);
    }

    private static CorpusException Corrupt(string path, string problem) =>
        new($"The TF-IDF index '{path}' is unusable: {problem}.");
}
