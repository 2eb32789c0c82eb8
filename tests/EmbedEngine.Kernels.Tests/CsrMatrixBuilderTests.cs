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

    [Fact]
    public void A_row_out_of_column_order_is_refused_when_built()
    {
        var builder = new CsrMatrixBuilder(4);
        builder.Append(2, 1f);
        builder.Append(1, 1f);
        builder.EndRow();

        Assert.Contains("row 0's columns are not strictly ascending", Assert.Throws<ArgumentException>(builder.Build).Message);
    }

    [Fact]
    public void Entries_after_the_last_closed_row_are_refused_when_built()
    {
        var builder = new CsrMatrixBuilder(4);
        builder.EndRow();
        builder.Append(0, 1f);

        Assert.Contains("the rows end at 0, not at the 1 entries", Assert.Throws<ArgumentException>(builder.Build).Message);
    }
}
