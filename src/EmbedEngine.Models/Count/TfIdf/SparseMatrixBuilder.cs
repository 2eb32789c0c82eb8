namespace EmbedEngine.Models.Count;

/// <summary>Collects sparse rows one after another into a <see cref="SparseMatrix"/>.</summary>
internal sealed class SparseMatrixBuilder(int columns)
{
    private readonly List<long> _rowStarts = [0];
    private readonly List<int> _columns = [];
    private readonly List<double> _values = [];

    /// <summary>Appends a row whose columns are already ascending.</summary>
    public void AddRow(ReadOnlySpan<int> indices, ReadOnlySpan<double> values)
    {
        _columns.AddRange(indices);
        _values.AddRange(values);
        _rowStarts.Add(_columns.Count);
    }

    public SparseMatrix Build() => new([.. _rowStarts], [.. _columns], [.. _values], columns);
}
