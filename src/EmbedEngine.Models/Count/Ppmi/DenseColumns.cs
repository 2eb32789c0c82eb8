using EmbedEngine.Kernels;

namespace EmbedEngine.Models.Count;

/// <summary>
/// Tall dense matrices stored by column (one <see cref="NativeMatrix"/> row per column), the layout in which
/// orthonormalization and Gram matrices are contiguous dot products and axpys; and the transposes that move
/// between it and the row layout the sparse product takes.
/// </summary>
internal static class DenseColumns
{
    /// <summary>
    /// A column whose norm falls below this fraction of its norm before projection is numerically inside the span
    /// of the earlier ones (float32 leaves about 1e-7 of noise); it is set to zero rather than normalized noise.
    /// </summary>
    private const float DependentColumnRatio = 1e-5f;

    /// <summary>Partial sums of a long dot product are kept in double every this many floats, so a Gram entry over
    /// tens of thousands of rows keeps float32's relative precision instead of losing √n of it.</summary>
    private const int DoubleSumChunk = 4096;

    /// <summary>The transpose of <paramref name="source"/> into a new padded matrix.</summary>
    public static unsafe NativeMatrix Transpose(NativeMatrix source)
    {
        var result = NativeMatrix.Allocate(source.Columns, source.Rows, padRows: true);
        // Blocks of rows × columns that fit in L1 on both sides.
        const int Tile = 32;
        for (int r0 = 0; r0 < source.Rows; r0 += Tile)
        for (int c0 = 0; c0 < source.Columns; c0 += Tile)
        {
            int r1 = Math.Min(r0 + Tile, source.Rows), c1 = Math.Min(c0 + Tile, source.Columns);
            for (int r = r0; r < r1; r++)
            {
                float* from = source.RowPointer(r);
                for (int c = c0; c < c1; c++) result.RowPointer(c)[r] = from[c];
            }
        }
        return result;
    }

    /// <summary>
    /// Orthonormalizes the columns (rows of <paramref name="columns"/>) in place by classical Gram–Schmidt applied
    /// twice ("twice is enough": orthogonal to working precision even for ill-conditioned sketches); dependent
    /// columns become zero.
    /// </summary>
    public static void Orthonormalize(NativeMatrix columns)
    {
        var projections = new float[columns.Rows];
        for (int i = 0; i < columns.Rows; i++)
        {
            Span<float> column = columns.Row(i);
            float before = MathF.Sqrt(DotKernel.Dot(column, column));
            for (int pass = 0; pass < 2; pass++)
            {
                for (int j = 0; j < i; j++) projections[j] = DotKernel.Dot(columns.Row(j), column);
                for (int j = 0; j < i; j++) AxpyKernel.Axpy(-projections[j], columns.Row(j), column);
            }
            float after = MathF.Sqrt(DotKernel.Dot(column, column));
            if (after <= DependentColumnRatio * before || after == 0) column.Clear();
            else ScaleKernel.Scale(1 / after, column);
        }
    }

    /// <summary>The Gram matrix CᵀC of the columns, row-major, in double.</summary>
    public static double[] Gram(NativeMatrix columns)
    {
        int count = columns.Rows;
        var gram = new double[count * count];
        for (int i = 0; i < count; i++)
        for (int j = 0; j <= i; j++)
        {
            double dot = Dot(columns.Row(i), columns.Row(j));
            gram[i * count + j] = dot;
            gram[j * count + i] = dot;
        }
        return gram;
    }

    private static double Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double sum = 0;
        for (int start = 0; start < x.Length; start += DoubleSumChunk)
        {
            int length = Math.Min(DoubleSumChunk, x.Length - start);
            sum += DotKernel.Dot(x.Slice(start, length), y.Slice(start, length));
        }
        return sum;
    }
}
