namespace EmbedEngine.Kernels;

/// <summary>
/// Collects a <see cref="CsrMatrix"/> row by row when the number of rows and entries is not known ahead: a row's
/// entries are appended in ascending column order with <see cref="Append"/>, then closed with <see cref="EndRow"/>.
/// </summary>
/// <param name="columns">How many columns the matrix has.</param>
public sealed class CsrMatrixBuilder(int columns)
{
    private readonly List<long> _rowStarts = [0];
    private readonly List<int> _columnIndices = [];
    private readonly List<float> _values = [];

    /// <summary>Appends an entry to the open row, after the entries already appended to it.</summary>
    public void Append(int column, float value)
    {
        _columnIndices.Add(column);
        _values.Add(value);
    }

    /// <summary>Closes the open row (an empty one if nothing was appended) and opens the next.</summary>
    public void EndRow() => _rowStarts.Add(_columnIndices.Count);

    /// <summary>The matrix of the rows closed so far, checked as <see cref="CsrMatrix"/>'s constructor checks.</summary>
    /// <exception cref="ArgumentException">
    /// A row's columns are outside the matrix or not strictly ascending, or entries follow the last closed row.
    /// </exception>
    public CsrMatrix Build() => new(columns, [.. _rowStarts], [.. _columnIndices], [.. _values]);
}
