using System.Buffers.Binary;
using EmbedEngine.Kernels.IO;

namespace EmbedEngine.Text;

/// <summary>
/// Streams the matrix to a co-occurrence file without holding its entries: columns and values go to two
/// temporary files as they arrive, then are copied behind the row starts (which are known only at the end).
/// </summary>
internal sealed class FileSink : CsrSink, IDisposable
{
    private const int BufferBytes = 1 << 16;

    private readonly string _columnsPath;
    private readonly string _valuesPath;
    private readonly FileStream _columns;
    private readonly FileStream _values;
    private readonly byte[] _columnBuffer = new byte[BufferBytes];
    private readonly byte[] _valueBuffer = new byte[BufferBytes];
    private int _buffered;

    /// <param name="rows">Rows (and columns) of the matrix.</param>
    /// <param name="scratchFolder">Where the temporary files go; they are deleted on <see cref="Dispose"/>.</param>
    public FileSink(int rows, string scratchFolder)
        : base(rows)
    {
        _columnsPath = Path.Combine(scratchFolder, "columns.bin");
        _valuesPath = Path.Combine(scratchFolder, "values.bin");
        _columns = Create(_columnsPath);
        _values = Create(_valuesPath);
    }

    /// <summary>Writes the co-occurrence file atomically: call once, after the last entry.</summary>
    public void Save(string path)
    {
        Flush();
        long[] rowStarts = FinishRowStarts();
        CooccurrenceFile.Save(path, rowStarts, NonZeros, output =>
        {
            Copy(_columns, output);
            Copy(_values, output);
        });
    }

    public void Dispose()
    {
        _columns.Dispose();
        _values.Dispose();
    }

    protected override void Append(int column, float value)
    {
        if (_buffered == BufferBytes) Flush();
        BinaryPrimitives.WriteInt32LittleEndian(_columnBuffer.AsSpan(_buffered), column);
        BinaryPrimitives.WriteSingleLittleEndian(_valueBuffer.AsSpan(_buffered), value);
        _buffered += sizeof(int);
    }

    private void Flush()
    {
        _columns.Write(_columnBuffer, 0, _buffered);
        _values.Write(_valueBuffer, 0, _buffered);
        _buffered = 0;
    }

    private void Copy(FileStream source, ChecksummedStream output)
    {
        source.Position = 0;
        int read;
        while ((read = source.Read(_columnBuffer)) > 0) output.Write(_columnBuffer.AsSpan(0, read));
    }

    private static FileStream Create(string path) => new(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None,
        bufferSize: 0, FileOptions.DeleteOnClose);
}
