namespace EmbedEngine.Kernels.Tests;

public class CsrMatrixTests
{
    [Fact]
    public void Valid_arrays_are_wrapped_and_read_back()
    {
        // [[0, 1.5, 0], [0, 0, 0], [2, 0, 3]]
        var matrix = new CsrMatrix(3, [0, 1, 1, 3], [1, 0, 2], [1.5f, 2f, 3f]);

        Assert.Equal(3, matrix.Rows);
        Assert.Equal(3, matrix.Columns);
        Assert.Equal(3, matrix.NonZeros);
        Assert.Equal(1.5f, matrix.Get(0, 1));
        Assert.Equal(0f, matrix.Get(1, 1));
        Assert.Equal(3f, matrix.Get(2, 2));
        CsrMatrix transpose = matrix.Transpose();
        Assert.Equal(2f, transpose.Get(0, 2));
        Assert.Equal(1.5f, transpose.Get(1, 0));
        Assert.Equal([1.5f, 0f, MathF.Sqrt(13f)], matrix.RowNorms());
    }

    [Fact]
    public void A_rows_entries_are_read_as_spans()
    {
        // [[0, 1.5, 0], [0, 0, 0], [2, 0, 3]]
        var matrix = new CsrMatrix(3, [0, 1, 1, 3], [1, 0, 2], [1.5f, 2f, 3f]);

        Assert.Equal([1], matrix.RowColumnIndices(0).ToArray());
        Assert.Equal([1.5f], matrix.RowValues(0).ToArray());
        Assert.True(matrix.RowColumnIndices(1).IsEmpty);
        Assert.True(matrix.RowValues(1).IsEmpty);
        Assert.Equal([0, 2], matrix.RowColumnIndices(2).ToArray());
        Assert.Equal([2f, 3f], matrix.RowValues(2).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => matrix.RowValues(3).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => matrix.RowColumnIndices(-1).Length);
    }

    [Theory]
    [InlineData(new long[] { 1, 1 }, new[] { 0 }, "row 0 starts at 1")]
    [InlineData(new long[] { 0, 2, 1 }, new[] { 0, 1 }, "row 1 ends at 1, which is before its start 2")]
    [InlineData(new long[] { 0, 2 }, new[] { 1, 1 }, "not strictly ascending")]
    [InlineData(new long[] { 0, 1 }, new[] { 3 }, "column 3, outside the 3 columns")]
    [InlineData(new long[] { 0, 1 }, new[] { 0, 1 }, "the rows end at 1, not at the 2 entries")]
    public void Invalid_arrays_are_refused_with_the_place_named(long[] rowStarts, int[] columns, string expected)
    {
        float[] values = new float[columns.Length];
        var error = Assert.Throws<ArgumentException>(() => new CsrMatrix(3, rowStarts, columns, values));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Columns_and_values_of_different_lengths_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new CsrMatrix(3, [0, 1], [0], [1f, 2f]));
        Assert.Contains("1 column indices but 2 values", error.Message);
    }
}
