namespace EmbedEngine.Kernels.Speed.Cases;

/// <summary>
/// The sparse kernels of PPMI-SVD's randomized SVD (co-occurrence counting itself has no vector kernel): a block of
/// <see cref="SpeedShapes.SparseRows"/> PPMI-like rows (<see cref="BenchmarkData.PpmiLikeRows"/>) times a dense sketch
/// at <see cref="SpeedShapes.SparseWidths"/>, and the same rows' norms.
/// </summary>
internal static unsafe class SparseCases
{
    /// <summary>Each nonzero adds its value times a sketch row to the output row: one multiply-add, 2 flops, a nonzero per column.</summary>
    public static SpeedCase Product(int width)
    {
        const int rows = SpeedShapes.SparseRows;
        var operands = new Operands();
        NativeMatrix dense = operands.Matrix(SpeedShapes.SparseDenseRows, width, salt: 3);
        NativeMatrix output = operands.Own(NativeMatrix.Allocate(rows, width, padRows: true));
        (long[] rowStarts, int[] columns, float[] values) = Rows();
        return SpeedCase.Of<SparseProductFn>("SparseDenseProduct", $"{rows} rows, {values.Length} nonzeros, width {width}",
            Work.Flops(2.0 * values.Length * width),
            (SparseDenseProductKernel.Scalar, SparseDenseProductKernel.Avx2, SparseDenseProductKernel.Avx512),
            product => () => product(rowStarts, columns, values, 0, rows, dense.Data, dense.Stride, width, output.Data, output.Stride),
            operands);
    }

    /// <summary>A sum of squares per row, so counted in bytes: the values (4 a nonzero) and row starts (8 a row) read, a norm (4) written.</summary>
    public static SpeedCase Norms()
    {
        const int rows = SpeedShapes.SparseRows;
        (long[] rowStarts, _, float[] values) = Rows();
        var norms = new float[rows];
        return SpeedCase.Of<SparseNormsFn>("SparseRowNorms", $"{rows} rows, {values.Length} nonzeros",
            Work.Bytes(4.0 * values.Length + 8.0 * (rows + 1) + 4.0 * rows),
            (SparseRowNormsKernel.Scalar, SparseRowNormsKernel.Avx2, SparseRowNormsKernel.Avx512),
            norm => () => norm(rowStarts, values, norms), new Operands());
    }

    private static (long[] RowStarts, int[] Columns, float[] Values) Rows() =>
        BenchmarkData.PpmiLikeRows(SpeedShapes.SparseRows, SpeedShapes.SparseDenseRows, SpeedShapes.SparseLongestRow);
}
