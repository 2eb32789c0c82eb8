namespace EmbedEngine.Text;

/// <summary>Receives a matrix's entries in row-major order, each (row, column) once, and builds its CSR form.</summary>
internal abstract class CsrSink
{
    private readonly long[] _rowStarts;
    private long _previousKey = -1;

    protected CsrSink(int rows) => _rowStarts = new long[rows + 1];

    /// <summary>Rows (and columns) of the matrix.</summary>
    public int Rows => _rowStarts.Length - 1;

    /// <summary>Entries received so far.</summary>
    public long NonZeros { get; private set; }

    /// <summary>Appends the entry at (<paramref name="row"/>, <paramref name="column"/>).</summary>
    /// <exception cref="InvalidOperationException">The entry is outside the matrix or not after the previous one.</exception>
    public void Add(int row, int column, float value)
    {
        if ((uint)row >= (uint)Rows || (uint)column >= (uint)Rows)
            throw new InvalidOperationException($"The entry ({row}, {column}) is outside the {Rows} x {Rows} matrix.");
        long key = ((long)row << 32) | (uint)column;
        if (key <= _previousKey)
            throw new InvalidOperationException($"The entry ({row}, {column}) does not follow the previous one in row-major order.");
        _previousKey = key;
        _rowStarts[row + 1]++;
        Append(column, value);
        NonZeros++;
    }

    /// <summary>Stores one entry's column and value.</summary>
    protected abstract void Append(int column, float value);

    /// <summary>The row starts of the entries received: call once, after the last <see cref="Add"/>.</summary>
    protected long[] FinishRowStarts()
    {
        for (int row = 0; row < Rows; row++) _rowStarts[row + 1] += _rowStarts[row];
        return _rowStarts;
    }
}
