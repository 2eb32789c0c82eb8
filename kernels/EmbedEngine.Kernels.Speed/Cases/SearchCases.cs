namespace EmbedEngine.Kernels.Speed.Cases;

/// <summary>The score pass of a TopK cosine query: <see cref="SpeedShapes.TopKRows"/> unit rows against one query, at <see cref="SpeedShapes.VectorDims"/>.</summary>
internal static unsafe class SearchCases
{
    /// <summary>
    /// A matrix-vector product, so counted in bytes: each row read once (4·d bytes; the query stays in L1) and its score
    /// written (4 bytes). The matrix streams from L3, so its GB/s may pass the memory bandwidth.
    /// </summary>
    public static SpeedCase TopKCosine(int dim)
    {
        const int rows = SpeedShapes.TopKRows;
        var operands = new Operands();
        NativeMatrix matrix = operands.Matrix(rows, dim, salt: 9), query = operands.Matrix(1, dim, salt: 10);
        var scores = new float[rows];
        return SpeedCase.Of<ScoresFn>("TopKCosine", $"{rows} rows, d={dim}", Work.Bytes(4.0 * rows * (dim + 1)),
            (TopKCosineKernel.ScoresScalar, TopKCosineKernel.ScoresAvx2, TopKCosineKernel.ScoresAvx512),
            score => () => score(matrix.Data, matrix.Stride, rows, query.Row(0), scores), operands);
    }
}
