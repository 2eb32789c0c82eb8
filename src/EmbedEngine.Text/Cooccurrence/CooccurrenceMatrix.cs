namespace EmbedEngine.Text;

/// <summary>
/// A square sparse matrix of co-occurrence weights in compressed sparse row (CSR) form: row r's nonzeros are
/// at [RowStarts[r], RowStarts[r + 1]) of <see cref="Columns"/> and <see cref="Values"/>, columns ascending.
/// Immutable and thread-safe.
/// </summary>
public sealed class CooccurrenceMatrix
{
    private readonly long[] _rowStarts;
    private readonly int[] _columns;
    private readonly float[] _values;

    /// <summary>Wraps arrays that are already valid CSR; does not copy or check them.</summary>
    internal CooccurrenceMatrix(long[] rowStarts, int[] columns, float[] values)
    {
        _rowStarts = rowStarts;
        _columns = columns;
        _values = values;
    }

    /// <summary>How many rows (and columns): the vocabulary size.</summary>
    public int Rows => _rowStarts.Length - 1;

    /// <summary>How many weights are stored.</summary>
    public long NonZeros => _columns.LongLength;

    /// <summary>Where each row starts in <see cref="Columns"/> and <see cref="Values"/>; <see cref="Rows"/> + 1 entries, the last being <see cref="NonZeros"/>.</summary>
    public ReadOnlySpan<long> RowStarts => _rowStarts;

    /// <summary>The column of each stored weight, ascending within each row.</summary>
    public ReadOnlySpan<int> Columns => _columns;

    /// <summary>The stored weights, in the order of <see cref="Columns"/>.</summary>
    public ReadOnlySpan<float> Values => _values;

    /// <summary>The weight at (<paramref name="row"/>, <paramref name="column"/>), 0 when none is stored.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The row or column is outside the matrix.</exception>
    public float Get(int row, int column)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Rows);
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, Rows);
        int start = (int)_rowStarts[row];
        int length = (int)_rowStarts[row + 1] - start;
        int index = _columns.AsSpan(start, length).BinarySearch(column);
        return index >= 0 ? _values[start + index] : 0f;
    }

    /// <summary>
    /// Writes the matrix to <paramref name="path"/> atomically: to a temporary file in the same folder, then
    /// renamed over the target, so a reader never sees a half-written file.
    /// </summary>
    /// <param name="path">The file to create or replace.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path) => CooccurrenceFile.Save(path, _rowStarts, _columns, _values);

    /// <summary>Reads a matrix written by <see cref="Save"/>, checking its structure and checksum.</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The matrix.</returns>
    /// <exception cref="CorpusException">The file is missing, unreadable, truncated or corrupt; the message says which.</exception>
    public static CooccurrenceMatrix Load(string path) => CooccurrenceFile.Load(path);
}
