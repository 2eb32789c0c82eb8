using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels;

/// <summary>
/// Sparse (CSR) times dense: for each row r of a range, output[r] = Σ_j values[j] · dense[columns[j]], over the row's
/// nonzeros j and the first <c>width</c> columns of the dense rows. The workhorse of randomized SVD (A·Ω, Aᵀ·Q),
/// where width is the sketch size, about 200–320.
/// </summary>
/// <remarks>
/// Column indices are not checked: each must name a row of <c>dense</c>. The output rows must not overlap the
/// dense matrix. Padding between rows (stride past width) is neither read into the result nor written.
/// </remarks>
public static unsafe class SparseDenseProductKernel
{
    /// <summary>Accumulators per block: enough independent FMA chains to hide latency, few enough to stay in registers.</summary>
    private const int BlockVectors = 4;

    /// <summary>Computes rows [firstRow, firstRow + rowCount) of the product with the variant chosen at start-up.</summary>
    /// <param name="rowStarts">CSR row starts of the whole sparse matrix (rows + 1 entries).</param>
    /// <param name="columns">CSR column of each nonzero: a row index of <paramref name="dense"/>.</param>
    /// <param name="values">CSR value of each nonzero.</param>
    /// <param name="firstRow">The first sparse row to multiply.</param>
    /// <param name="rowCount">How many rows to multiply.</param>
    /// <param name="dense">Row 0 of the dense matrix, row-major.</param>
    /// <param name="denseStride">Floats between the starts of consecutive dense rows (at least <paramref name="width"/>).</param>
    /// <param name="width">Columns of the dense matrix and of the output.</param>
    /// <param name="output">Output row 0, which receives sparse row <paramref name="firstRow"/>; overwritten.</param>
    /// <param name="outputStride">Floats between the starts of consecutive output rows (at least <paramref name="width"/>).</param>
    public static void Multiply(ReadOnlySpan<long> rowStarts, ReadOnlySpan<int> columns, ReadOnlySpan<float> values,
        int firstRow, int rowCount, float* dense, nint denseStride, int width, float* output, nint outputStride)
    {
        switch (IsaDispatch.Active)
        {
            case Isa.Avx512: Avx512(rowStarts, columns, values, firstRow, rowCount, dense, denseStride, width, output, outputStride); break;
            case Isa.Avx2: Avx2(rowStarts, columns, values, firstRow, rowCount, dense, denseStride, width, output, outputStride); break;
            default: Scalar(rowStarts, columns, values, firstRow, rowCount, dense, denseStride, width, output, outputStride); break;
        }
    }

    /// <summary>Reference: clear the output row, then add each nonzero's scaled dense row, in order.</summary>
    public static void Scalar(ReadOnlySpan<long> rowStarts, ReadOnlySpan<int> columns, ReadOnlySpan<float> values,
        int firstRow, int rowCount, float* dense, nint denseStride, int width, float* output, nint outputStride)
    {
        CheckShape(rowStarts, columns, values, firstRow, rowCount, denseStride, width, outputStride);
        for (int r = 0; r < rowCount; r++)
        {
            float* o = output + r * outputStride;
            for (int c = 0; c < width; c++) o[c] = 0f;
            for (long j = rowStarts[firstRow + r]; j < rowStarts[firstRow + r + 1]; j++)
            {
                float v = values[(int)j];
                float* d = dense + columns[(int)j] * denseStride;
                for (int c = 0; c < width; c++) o[c] += v * d[c];
            }
        }
    }

    /// <summary>Vector256 with FMA: each block of 32 output columns stays in four registers across the row's nonzeros.</summary>
    public static void Avx2(ReadOnlySpan<long> rowStarts, ReadOnlySpan<int> columns, ReadOnlySpan<float> values,
        int firstRow, int rowCount, float* dense, nint denseStride, int width, float* output, nint outputStride) =>
        Vectorized<Simd256, Vector256<float>>(rowStarts, columns, values, firstRow, rowCount, dense, denseStride, width, output, outputStride);

    /// <summary>Vector512: as <see cref="Avx2"/> with blocks of 64 output columns.</summary>
    public static void Avx512(ReadOnlySpan<long> rowStarts, ReadOnlySpan<int> columns, ReadOnlySpan<float> values,
        int firstRow, int rowCount, float* dense, nint denseStride, int width, float* output, nint outputStride) =>
        Vectorized<Simd512, Vector512<float>>(rowStarts, columns, values, firstRow, rowCount, dense, denseStride, width, output, outputStride);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Vectorized<TSimd, TVec>(ReadOnlySpan<long> rowStarts, ReadOnlySpan<int> columns, ReadOnlySpan<float> values,
        int firstRow, int rowCount, float* dense, nint denseStride, int width, float* output, nint outputStride)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        CheckShape(rowStarts, columns, values, firstRow, rowCount, denseStride, width, outputStride);
        fixed (int* pc = columns)
        fixed (float* pv = values)
        {
            for (int r = 0; r < rowCount; r++)
            {
                nint start = (nint)rowStarts[firstRow + r], end = (nint)rowStarts[firstRow + r + 1];
                var row = new Row(pc + start, pv + start, end - start, dense, denseStride);
                Block<TSimd, TVec>(row, width, output + r * outputStride);
            }
        }
    }

    /// <summary>One sparse row: its nonzeros and the dense matrix they pick rows of.</summary>
    private readonly struct Row(int* columns, float* values, nint count, float* dense, nint denseStride)
    {
        public readonly int* Columns = columns;
        public readonly float* Values = values;
        public readonly nint Count = count;
        public readonly float* Dense = dense;
        public readonly nint DenseStride = denseStride;
    }

    /// <summary>
    /// Walks the output row in blocks of <see cref="BlockVectors"/> vectors, then single vectors, then one masked
    /// chunk; each block sums over every nonzero before it is stored once, so the output is written, never re-read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block<TSimd, TVec>(Row row, int width, float* output)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        nint n = width, c = 0, w = TSimd.Count;
        for (; c <= n - BlockVectors * w; c += BlockVectors * w)
        {
            TVec a0 = TSimd.Zero, a1 = TSimd.Zero, a2 = TSimd.Zero, a3 = TSimd.Zero;
            for (nint j = 0; j < row.Count; j++)
            {
                TVec v = TSimd.Create(row.Values[j]);
                float* d = row.Dense + row.Columns[j] * row.DenseStride + c;
                a0 = TSimd.MultiplyAdd(v, TSimd.Load(d), a0);
                a1 = TSimd.MultiplyAdd(v, TSimd.Load(d + w), a1);
                a2 = TSimd.MultiplyAdd(v, TSimd.Load(d + 2 * w), a2);
                a3 = TSimd.MultiplyAdd(v, TSimd.Load(d + 3 * w), a3);
            }
            TSimd.Store(output + c, a0);
            TSimd.Store(output + c + w, a1);
            TSimd.Store(output + c + 2 * w, a2);
            TSimd.Store(output + c + 3 * w, a3);
        }
        for (; c <= n - w; c += w) Single(row, c, output, default(AllLanes<TSimd, TVec>));
        if (c < n) Single(row, c, output, new FirstLanes<TSimd, TVec>((int)(n - c)));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static void Single<TLanes>(Row row, nint c, float* output, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
        {
            TVec a = TSimd.Zero;
            for (nint j = 0; j < row.Count; j++)
                a = TSimd.MultiplyAdd(TSimd.Create(row.Values[j]), lanes.Load(row.Dense + row.Columns[j] * row.DenseStride + c), a);
            lanes.Store(output + c, a);
        }
    }

    private static void CheckShape(ReadOnlySpan<long> rowStarts, ReadOnlySpan<int> columns, ReadOnlySpan<float> values,
        int firstRow, int rowCount, nint denseStride, int width, nint outputStride)
    {
        if (columns.Length != values.Length) KernelErrors.LengthsDiffer(columns.Length, values.Length);
        if (firstRow < 0 || rowCount < 0 || (long)firstRow + rowCount + 1 > rowStarts.Length)
            SparseKernelErrors.RowsOutside(firstRow, rowCount, rowStarts.Length - 1);
        if (width < 0 || denseStride < width || outputStride < width)
            SparseKernelErrors.StrideTooSmall(width, denseStride, outputStride);
        if (rowCount > 0 && rowStarts[firstRow + rowCount] > columns.Length)
            SparseKernelErrors.RowsOutside(firstRow, rowCount, rowStarts.Length - 1);
    }
}
