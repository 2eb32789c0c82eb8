namespace EmbedEngine.Models.Count;

/// <summary>
/// Document vectors in compressed sparse row (CSR) form: row r's nonzeros are at [RowStarts[r], RowStarts[r + 1])
/// of <see cref="ColumnIndices"/> and <see cref="Values"/>, columns ascending. Immutable and thread-safe.
/// </summary>
public sealed class SparseMatrix
{
    private readonly long[] _rowStarts;
    private readonly int[] _columns;
    private readonly double[] _values;

    /// <summary>Wraps arrays that are already valid CSR; does not copy or check them.</summary>
    internal SparseMatrix(long[] rowStarts, int[] columns, double[] values, int columnCount)
    {
        _rowStarts = rowStarts;
        _columns = columns;
        _values = values;
        Columns = columnCount;
    }

    /// <summary>How many rows (documents).</summary>
    public int Rows => _rowStarts.Length - 1;

    /// <summary>How many columns (features).</summary>
    public int Columns { get; }

    /// <summary>How many weights are stored.</summary>
    public long NonZeros => _columns.LongLength;

    /// <summary>Where each row starts; <see cref="Rows"/> + 1 entries, the last being <see cref="NonZeros"/>.</summary>
    public ReadOnlySpan<long> RowStarts => _rowStarts;

    /// <summary>The column of each stored weight, ascending within each row.</summary>
    public ReadOnlySpan<int> ColumnIndices => _columns;

    /// <summary>The stored weights, in the order of <see cref="ColumnIndices"/>.</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>The columns of row <paramref name="row"/>'s weights.</summary>
    public ReadOnlySpan<int> RowIndices(int row) => _columns.AsSpan(RowRange(row));

    /// <summary>The weights of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<double> RowValues(int row) => _values.AsSpan(RowRange(row));

    /// <summary>The weight at (<paramref name="row"/>, <paramref name="column"/>), 0 when none is stored.</summary>
    public double Get(int row, int column)
    {
        int at = RowIndices(row).BinarySearch(column);
        return at >= 0 ? RowValues(row)[at] : 0;
    }

    private Range RowRange(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Rows);
        return new Range((int)_rowStarts[row], (int)_rowStarts[row + 1]);
    }
}
