namespace EmbedEngine.Kernels;

/// <summary>
/// A sparse float matrix in compressed sparse row (CSR) form: row r's nonzeros are at
/// [RowStarts[r], RowStarts[r + 1]) of <see cref="ColumnIndices"/> and <see cref="Values"/>, columns ascending.
/// Immutable and thread-safe; the layout the sparse kernels take, shared by co-occurrence counts, PPMI and
/// TF-IDF document vectors.
/// </summary>
public sealed class CsrMatrix
{
    /// <summary>Rows per task of <see cref="Multiply"/>: enough to amortize scheduling, few enough to balance Zipfian row lengths.</summary>
    private const int RowsPerBlock = 128;

    private readonly long[] _rowStarts;
    private readonly int[] _columnIndices;
    private readonly float[] _values;

    /// <summary>Wraps CSR arrays without copying them, after checking that they are valid.</summary>
    /// <param name="columns">How many columns.</param>
    /// <param name="rowStarts">Rows + 1 offsets, from 0 up to the number of entries, never decreasing.</param>
    /// <param name="columnIndices">Each entry's column, in [0, columns), strictly ascending within a row.</param>
    /// <param name="values">Each entry's value.</param>
    /// <exception cref="ArgumentException">The arrays are not valid CSR; the message says where.</exception>
    public CsrMatrix(int columns, long[] rowStarts, int[] columnIndices, float[] values)
    {
        ArgumentNullException.ThrowIfNull(rowStarts);
        ArgumentNullException.ThrowIfNull(columnIndices);
        ArgumentNullException.ThrowIfNull(values);
        CheckStructure(columns, rowStarts, columnIndices, values);
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
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, Columns);
        int index = RowColumnIndices(row).BinarySearch(column);
        return index >= 0 ? RowValues(row)[index] : 0f;
    }

    /// <summary>The columns of row <paramref name="row"/>'s stored entries, ascending.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The row is outside the matrix.</exception>
    public ReadOnlySpan<int> RowColumnIndices(int row) => _columnIndices.AsSpan(RowRange(row));

    /// <summary>The values of row <paramref name="row"/>'s stored entries, in the order of <see cref="RowColumnIndices"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The row is outside the matrix.</exception>
    public ReadOnlySpan<float> RowValues(int row) => _values.AsSpan(RowRange(row));

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

    /// <summary>
    /// output ← this · dense, split into row blocks across threads. Each output row depends on one sparse row
    /// only, so the result is the same for any thread count.
    /// </summary>
    /// <param name="dense">A <see cref="Columns"/> × k matrix.</param>
    /// <param name="output">A <see cref="Rows"/> × k matrix, overwritten.</param>
    /// <param name="threads">The most threads to use.</param>
    /// <param name="cancellation">Stops between row blocks with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    public unsafe void Multiply(NativeMatrix dense, NativeMatrix output, int threads, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(dense);
        ArgumentNullException.ThrowIfNull(output);
        if (dense.Rows != Columns || output.Rows != Rows || output.Columns != dense.Columns)
            throw new ArgumentException(
                $"cannot multiply a {Rows} × {Columns} sparse matrix by a {dense.Rows} × {dense.Columns} dense one into {output.Rows} × {output.Columns}");
        int blocks = (Rows + RowsPerBlock - 1) / RowsPerBlock;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellation };
        Parallel.For(0, blocks, parallel, block =>
        {
            int first = block * RowsPerBlock, count = Math.Min(RowsPerBlock, Rows - first);
            SparseDenseProductKernel.Multiply(_rowStarts, _columnIndices, _values, first, count, dense.Data, dense.Stride,
                dense.Columns, output.RowPointer(first), output.Stride);
        });
    }

    /// <summary>Where row <paramref name="row"/>'s entries lie in <see cref="ColumnIndices"/> and <see cref="Values"/>.</summary>
    private Range RowRange(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Rows);
        return new Range((int)_rowStarts[row], (int)_rowStarts[row + 1]);
    }

    private static void CheckStructure(int columns, long[] rowStarts, int[] columnIndices, float[] values)
    {
        if (columns < 0) throw new ArgumentException($"a matrix cannot have {columns} columns");
        if (rowStarts.Length == 0) throw new ArgumentException("the row starts are empty; even a matrix of no rows has one");
        if (columnIndices.LongLength != values.LongLength)
            throw new ArgumentException($"there are {columnIndices.LongLength} column indices but {values.LongLength} values");
        int rows = rowStarts.Length - 1;
        if (rowStarts[0] != 0) throw new ArgumentException($"row 0 starts at {rowStarts[0]}, not 0");
        for (int row = 0; row < rows; row++)
        {
            long start = rowStarts[row], end = rowStarts[row + 1];
            if (end < start || end > columnIndices.LongLength)
                throw new ArgumentException($"row {row} ends at {end}, which is before its start {start} or past the {columnIndices.LongLength} entries");
            for (long i = start; i < end; i++)
            {
                int column = columnIndices[i];
                if ((uint)column >= (uint)columns)
                    throw new ArgumentException($"row {row} has column {column}, outside the {columns} columns");
                if (i > start && column <= columnIndices[i - 1])
                    throw new ArgumentException($"row {row}'s columns are not strictly ascending ({columnIndices[i - 1]} then {column})");
            }
        }
        if (rowStarts[rows] != columnIndices.LongLength)
            throw new ArgumentException($"the rows end at {rowStarts[rows]}, not at the {columnIndices.LongLength} entries");
    }
}
