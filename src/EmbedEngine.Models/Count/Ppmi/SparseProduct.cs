using EmbedEngine.Kernels;

namespace EmbedEngine.Models.Count;

/// <summary>A CSR matrix times a tall dense one, split into row blocks across threads.</summary>
internal static class SparseProduct
{
    /// <summary>Rows per task: large enough to amortize scheduling, small enough to balance Zipfian row lengths.</summary>
    private const int RowsPerBlock = 128;

    /// <summary>output ← sparse · dense; each output row depends on one sparse row only, so the result is the same for any thread count.</summary>
    public static unsafe void Multiply(CsrMatrix sparse, NativeMatrix dense, NativeMatrix output, int threads, CancellationToken cancellation)
    {
        if (dense.Rows != sparse.Columns || output.Rows != sparse.Rows || output.Columns != dense.Columns)
            throw new ArgumentException(
                $"cannot multiply a {sparse.Rows} × {sparse.Columns} sparse matrix by a {dense.Rows} × {dense.Columns} dense one into {output.Rows} × {output.Columns}");
        var (rowStarts, columns, values) = sparse.Arrays;
        int blocks = (sparse.Rows + RowsPerBlock - 1) / RowsPerBlock;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellation };
        Parallel.For(0, blocks, parallel, block =>
        {
            int first = block * RowsPerBlock, count = Math.Min(RowsPerBlock, sparse.Rows - first);
            SparseDenseProductKernel.Multiply(rowStarts, columns, values, first, count, dense.Data, dense.Stride,
                dense.Columns, output.RowPointer(first), output.Stride);
        });
    }
}
