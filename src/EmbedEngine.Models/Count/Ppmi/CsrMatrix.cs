using EmbedEngine.Kernels;

namespace EmbedEngine.Models.Count;

/// <summary>
/// A sparse float matrix in compressed sparse row (CSR) form: row r's nonzeros are at
/// [RowStarts[r], RowStarts[r + 1]) of <see cref="ColumnIndices"/> and <see cref="Values"/>, columns ascending.
/// Immutable; the layout the sparse kernels take.
/// </summary>
public sealed class CsrMatrix
{
    private readonly long[] _rowStarts;
    private readonly int[] _columnIndices;
    private readonly float[] _values;

    /// <summary>Wraps CSR arrays; the caller guarantees they are valid (ascending starts, columns in range and ascending per row).</summary>
    internal CsrMatrix(int columns, long[] rowStarts, int[] columnIndices, float[] values)
    {
        Columns = columns;
        _rowStarts = rowStarts;
        _columnIndices = columnIndices;
        _values = values;
    }

    /// <summary>How many rows.</summary>
    public int Rows => _rowStarts.Length - 1;

    /// <summary>How many columns.</summary>
    public int Columns { get; }

    /// <summary>How many entries are stored.</summary>
    public long NonZeros => _values.LongLength;

    /// <summary>Where each row starts; <see cref="Rows"/> + 1 entries, the last being <see cref="NonZeros"/>.</summary>
    public ReadOnlySpan<long> RowStarts => _rowStarts;

    /// <summary>The column of each stored entry, ascending within each row.</summary>
    public ReadOnlySpan<int> ColumnIndices => _columnIndices;

    /// <summary>The stored entries, in the order of <see cref="ColumnIndices"/>.</summary>
    public ReadOnlySpan<float> Values => _values;

    /// <summary>The entry at (<paramref name="row"/>, <paramref name="column"/>), 0 when none is stored.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The row or column is outside the matrix.</exception>
    public float Get(int row, int column)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Rows);
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, Columns);
        int start = (int)_rowStarts[row];
        int index = _columnIndices.AsSpan(start, (int)_rowStarts[row + 1] - start).BinarySearch(column);
        return index >= 0 ? _values[start + index] : 0f;
    }

    /// <summary>The transpose, also in CSR form (a counting sort by column; rows come out with ascending columns).</summary>
    public CsrMatrix Transpose()
    {
        var starts = new long[Columns + 1];
        foreach (int c in _columnIndices) starts[c + 1]++;
        for (int c = 0; c < Columns; c++) starts[c + 1] += starts[c];
        var next = (long[])starts.Clone();
        var rows = new int[_values.Length];
        var values = new float[_values.Length];
        for (int r = 0; r < Rows; r++)
        {
            for (long j = _rowStarts[r]; j < _rowStarts[r + 1]; j++)
            {
                long at = next[_columnIndices[j]]++;
                rows[at] = r;
                values[at] = _values[j];
            }
        }
        return new CsrMatrix(Rows, starts, rows, values);
    }

    /// <summary>The Euclidean norm of every row.</summary>
    public float[] RowNorms()
    {
        var norms = new float[Rows];
        SparseRowNormsKernel.Norms(_rowStarts, _values, norms);
        return norms;
    }

    /// <summary>Internal access to the arrays for the parallel kernels, which cannot capture spans.</summary>
    internal (long[] RowStarts, int[] ColumnIndices, float[] Values) Arrays => (_rowStarts, _columnIndices, _values);
}
