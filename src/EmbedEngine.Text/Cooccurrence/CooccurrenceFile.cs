using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using EmbedEngine.Kernels.IO;

namespace EmbedEngine.Text;

/// <summary>
/// The binary file of a <see cref="CooccurrenceMatrix"/>, all little-endian:
/// "EECOOC01", int64 rows, int64 nonzeros, int64 row starts [rows + 1], int32 columns [nonzeros],
/// float32 values [nonzeros], then the CRC-32C of every byte before it (the native vectors format's checksum).
/// </summary>
internal static class CooccurrenceFile
{
    private const int HeaderBytes = 24;
    private const int ChecksumBytes = 4;

    /// <summary>Elements copied per read or write, so no byte span outgrows an int.</summary>
    private const int ChunkElements = 1 << 20;

    private static ReadOnlySpan<byte> Magic => "EECOOC01"u8;

    public static void Save(string path, long[] rowStarts, int[] columns, float[] values) =>
        Save(path, rowStarts, columns.LongLength, entries =>
        {
            WriteArray(entries, columns);
            WriteArray(entries, values);
        });

    /// <summary>
    /// Writes the file around entries that come from elsewhere: <paramref name="writeEntries"/> must write the
    /// <paramref name="nonZeros"/> columns' bytes, then the values' bytes, to the stream it is given.
    /// </summary>
    public static void Save(string path, long[] rowStarts, long nonZeros, Action<ChecksummedStream> writeEntries)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        EnsureLittleEndian();
        AtomicFile.Write(path, stream =>
        {
            var output = new ChecksummedStream(stream);
            Span<byte> header = stackalloc byte[HeaderBytes];
            Magic.CopyTo(header);
            BinaryPrimitives.WriteInt64LittleEndian(header[8..], rowStarts.Length - 1);
            BinaryPrimitives.WriteInt64LittleEndian(header[16..], nonZeros);
            output.Write(header);
            WriteArray(output, rowStarts);
            long entriesStart = output.BytesWritten;
            writeEntries(output);
            long entryBytes = output.BytesWritten - entriesStart;
            if (entryBytes != nonZeros * (sizeof(int) + sizeof(float)))
                throw new InvalidOperationException($"{entryBytes} bytes of entries were written for {nonZeros} nonzeros.");
            Span<byte> trailer = stackalloc byte[ChecksumBytes];
            BinaryPrimitives.WriteUInt32LittleEndian(trailer, output.Checksum);
            stream.Write(trailer);
        });
    }

    public static CooccurrenceMatrix Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        EnsureLittleEndian();
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            long fileLength = stream.Length;
            if (fileLength < HeaderBytes + 8 + ChecksumBytes)
                throw Corrupt(path, $"it is {fileLength} bytes, too short for even an empty matrix (truncated?)");

            uint checksum = 0;
            Span<byte> header = stackalloc byte[HeaderBytes];
            stream.ReadExactly(header);
            checksum = Crc32C.Append(checksum, header);
            if (!header[..8].SequenceEqual(Magic))
                throw Corrupt(path, $"it does not start with \"EECOOC01\" but with \"{Printable(header[..8])}\"; it is not a co-occurrence matrix");
            long rows = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
            long nonZeros = BinaryPrimitives.ReadInt64LittleEndian(header[16..]);
            // Bounded first, so the size arithmetic below cannot overflow and nothing huge is allocated.
            if (rows < 0 || rows >= Array.MaxLength)
                throw Corrupt(path, $"its header claims {rows} rows");
            if (nonZeros < 0 || nonZeros > Array.MaxLength)
                throw Corrupt(path, $"its header claims {nonZeros} nonzeros");
            long expected = HeaderBytes + ((rows + 1) * sizeof(long)) + (nonZeros * (sizeof(int) + sizeof(float))) + ChecksumBytes;
            if (fileLength != expected)
                throw Corrupt(path,
                    $"it is {fileLength} bytes, but its header ({rows} rows, {nonZeros} nonzeros) needs {expected} (truncated or corrupt)");

            var rowStarts = new long[rows + 1];
            var columns = new int[nonZeros];
            var values = new float[nonZeros];
            ReadArray(stream, rowStarts, ref checksum);
            ReadArray(stream, columns, ref checksum);
            ReadArray(stream, values, ref checksum);
            Span<byte> trailer = stackalloc byte[ChecksumBytes];
            stream.ReadExactly(trailer);
            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
            if (stored != checksum)
                throw Corrupt(path, $"its checksum is {stored:x8} but its contents hash to {checksum:x8} (the file is damaged)");

            CheckStructure(path, rowStarts, columns, values);
            return new CooccurrenceMatrix(rowStarts, columns, values);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CorpusException($"Cannot read the co-occurrence matrix '{path}': {e.Message}", e);
        }
    }

    private static void CheckStructure(string path, long[] rowStarts, int[] columns, float[] values)
    {
        int rows = rowStarts.Length - 1;
        if (rowStarts[0] != 0) throw Corrupt(path, $"row 0 starts at {rowStarts[0]}, not 0");
        for (int row = 0; row < rows; row++)
        {
            long start = rowStarts[row];
            long end = rowStarts[row + 1];
            if (end < start || end > columns.LongLength)
                throw Corrupt(path, $"row {row} ends at {end}, which is before its start {start} or past the {columns.LongLength} nonzeros");
            for (long i = start; i < end; i++)
            {
                int column = columns[i];
                if ((uint)column >= (uint)rows)
                    throw Corrupt(path, $"row {row} has column {column}, outside the {rows} columns");
                if (i > start && column <= columns[i - 1])
                    throw Corrupt(path, $"row {row}'s columns are not strictly ascending ({columns[i - 1]} then {column})");
                if (!float.IsFinite(values[i]))
                    throw Corrupt(path, $"the weight at ({row}, {column}) is {values[i]}, not a finite number");
            }
        }
        if (rowStarts[rows] != columns.LongLength)
            throw Corrupt(path, $"the rows end at {rowStarts[rows]}, not at the {columns.LongLength} nonzeros");
    }

    private static void WriteArray<T>(ChecksummedStream output, T[] array)
        where T : unmanaged
    {
        for (long start = 0; start < array.LongLength; start += ChunkElements)
        {
            int length = (int)Math.Min(ChunkElements, array.LongLength - start);
            output.Write(MemoryMarshal.AsBytes(array.AsSpan((int)start, length)));
        }
    }

    private static void ReadArray<T>(Stream stream, T[] array, ref uint checksum)
        where T : unmanaged
    {
        for (long start = 0; start < array.LongLength; start += ChunkElements)
        {
            int length = (int)Math.Min(ChunkElements, array.LongLength - start);
            Span<byte> bytes = MemoryMarshal.AsBytes(array.AsSpan((int)start, length));
            stream.ReadExactly(bytes);
            checksum = Crc32C.Append(checksum, bytes);
        }
    }

    private static CorpusException Corrupt(string path, string problem) =>
        new($"The co-occurrence matrix '{path}' is unusable: {problem}.");

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        foreach (byte value in bytes) text.Append(value is >= 0x20 and < 0x7F ? (char)value : '?');
        return text.ToString();
    }

    private static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Co-occurrence files are read and written on little-endian machines only.");
    }
}
