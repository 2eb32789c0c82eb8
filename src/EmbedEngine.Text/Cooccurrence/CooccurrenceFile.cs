using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using EmbedEngine.Kernels;
using EmbedEngine.Kernels.IO;

namespace EmbedEngine.Text;

/// <summary>
/// The binary file of a co-occurrence matrix (square, one row and column per vocabulary word), all little-endian:
/// "EECOOC01", int64 rows, int64 nonzeros, int64 row starts [rows + 1], int32 columns [nonzeros],
/// float32 values [nonzeros], then the CRC-32C of every byte before it (the native vectors format's checksum).
/// </summary>
public static class CooccurrenceFile
{
    private const int HeaderBytes = 24;
    private const int ChecksumBytes = 4;

    /// <summary>Elements copied per read or write, so no byte span outgrows an int.</summary>
    private const int ChunkElements = 1 << 20;

    private static ReadOnlySpan<byte> Magic => "EECOOC01"u8;

    /// <summary>
    /// Writes <paramref name="matrix"/> to <paramref name="path"/> atomically: to a temporary file in the same
    /// folder, then renamed over the target, so a reader never sees a half-written file.
    /// </summary>
    /// <param name="matrix">A square matrix of co-occurrence weights.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <exception cref="ArgumentException">The matrix is not square.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save(CsrMatrix matrix, string path)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.Rows != matrix.Columns)
            throw new ArgumentException($"a co-occurrence matrix is square, but this one is {matrix.Rows} × {matrix.Columns}", nameof(matrix));
        Save(path, matrix.RowStarts.ToArray(), matrix.NonZeros, entries =>
        {
            WriteArray(entries, matrix.ColumnIndices);
            WriteArray(entries, matrix.Values);
        });
    }

    /// <summary>
    /// Writes the file around entries that come from elsewhere (spilled runs, other processes), atomically:
    /// <paramref name="writeEntries"/> must write the <paramref name="nonZeros"/> columns' bytes (int32), then the
    /// values' bytes (float32), little-endian, to the stream it is given.
    /// </summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="rowStarts">Where each row's entries start, rows + 1 of them, the last equal to <paramref name="nonZeros"/>.</param>
    /// <param name="nonZeros">Entries in the matrix.</param>
    /// <param name="writeEntries">Writes the columns then the values.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
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
            WriteArray(output, (ReadOnlySpan<long>)rowStarts);
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

    /// <summary>Reads a matrix written by <see cref="Save(CsrMatrix, string)"/>, checking its structure and checksum.</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The square matrix.</returns>
    /// <exception cref="CorpusException">The file is missing, unreadable, truncated or corrupt; the message says which.</exception>
    public static CsrMatrix Load(string path)
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

            foreach (float value in values)
                if (!float.IsFinite(value)) throw Corrupt(path, $"it holds the weight {value}, not a finite number");
            try
            {
                return new CsrMatrix((int)rows, rowStarts, columns, values);
            }
            catch (ArgumentException e)
            {
                throw Corrupt(path, e.Message);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CorpusException($"Cannot read the co-occurrence matrix '{path}': {e.Message}", e);
        }
    }

    private static void WriteArray<T>(ChecksummedStream output, ReadOnlySpan<T> array)
        where T : unmanaged
    {
        for (int start = 0; start < array.Length; start += ChunkElements)
        {
            int length = Math.Min(ChunkElements, array.Length - start);
            output.Write(MemoryMarshal.AsBytes(array.Slice(start, length)));
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
