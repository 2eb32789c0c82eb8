namespace EmbedEngine.Kernels.Tests;

public class CsrMatrixBuilderTests
{
    [Fact]
    public void Rows_appended_one_by_one_make_the_matrix()
    {
        var builder = new CsrMatrixBuilder(4);
        builder.Append(1, 0.5f);
        builder.Append(3, 2f);
        builder.EndRow();
        builder.EndRow();
        builder.Append(0, -1f);
        builder.EndRow();

        CsrMatrix matrix = builder.Build();

        Assert.Equal(3, matrix.Rows);
        Assert.Equal(4, matrix.Columns);
        Assert.Equal([0L, 2L, 2L, 3L], matrix.RowStarts.ToArray());
        Assert.Equal([1, 3, 0], matrix.ColumnIndices.ToArray());
        Assert.Equal([0.5f, 2f, -1f], matrix.Values.ToArray());
    }

    [Theory]
    [InlineData(new[] { 2, 1 }, new int[0], "row 0's columns are not strictly ascending")]
    [InlineData(new int[0], new[] { 0 }, "the rows end at 0, not at the 1 entries")]
    public void Invalid_rows_are_refused_when_built(int[] firstRow, int[] afterIt, string expected)
    {
        var builder = new CsrMatrixBuilder(4);
        foreach (int column in firstRow) builder.Append(column, 1f);
        builder.EndRow();
        foreach (int column in afterIt) builder.Append(column, 1f);

        Assert.Contains(expected, Assert.Throws<ArgumentException>(builder.Build).Message);
    }
}
