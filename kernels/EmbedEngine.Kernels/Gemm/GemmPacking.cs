using System.Runtime.Intrinsics.X86;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Gemm;

/// <summary>
/// Copies blocks of op(A) and op(B) into the panel layout the register tile reads: Aᵀ in panels of
/// <c>rows</c> rows stored column after column ([p][row]), B in panels of <c>columns</c> columns stored row after
/// row ([p][column]), each panel contiguous and zero-padded to the full tile, so the tile never needs an edge case
/// inside its loop and reads memory strictly in order.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs rows [i0, i0 + mc) and depths [p0, p0 + kc) of op(A) = Aᵀ into panels of <paramref name="rows"/> rows.
    /// (A itself is read in place, see GemmDriver.)
    /// </summary>
    public static void PackTransposedA(in GemmShape shape, float* a, int i0, int mc, int p0, int kc, int rows, float* packed)
    {
        nint lda = shape.Lda;
        for (int ir = 0; ir < mc; ir += rows, packed += (nint)rows * kc)
            CopyRows(a + shape.RowOfA(i0 + ir) + p0 * lda, lda, kc, Math.Min(rows, mc - ir), packed, rows);
    }

    /// <summary>Packs depths [p0, p0 + kc) and columns [j0, j0 + nc) of op(B) into panels of <paramref name="columns"/> columns.</summary>
    public static void PackB(in GemmShape shape, float* b, int p0, int kc, int j0, int nc, int columns, float* packed)
    {
        nint ldb = shape.Ldb;
        for (int jr = 0; jr < nc; jr += columns, packed += (nint)columns * kc)
        {
            int used = Math.Min(columns, nc - jr);
            float* origin = b + shape.ColumnOfB(j0 + jr) + (shape.TransposeB ? p0 : p0 * ldb);
            if (shape.TransposeB)
                Gather(origin, ldb, used, kc, packed, columns);
            else
                CopyRows(origin, ldb, kc, used, packed, columns);
        }
    }

    /// <summary>The panel's lines are stored contiguously in the source: copy <paramref name="count"/> lines of <paramref name="used"/> floats.</summary>
    private static void CopyRows(float* source, nint stride, int count, int used, float* packed, int width)
    {
        for (int p = 0; p < count; p++, source += stride, packed += width)
        {
            new ReadOnlySpan<float>(source, used).CopyTo(new Span<float>(packed, used));
            new Span<float>(packed + used, width - used).Clear();
        }
    }

    /// <summary>
    /// The panel's lines cut across the source's rows: 8 × 8 blocks are transposed in registers, the ragged edges
    /// (fewer than 8 rows or depths left) are moved one float at a time.
    /// </summary>
    private static void Gather(float* source, nint stride, int used, int count, float* packed, int width)
    {
        int fullRows = Avx.IsSupported ? used & ~7 : 0, fullDepths = Avx.IsSupported ? count & ~7 : 0;
        for (int r = 0; r < fullRows; r += 8)
            for (int p = 0; p < fullDepths; p += 8)
                BlockTranspose.Transpose8x8(source + r * stride + p, stride, packed + (nint)p * width + r, width);
        for (int r = 0; r < used; r++)
            for (int p = r < fullRows ? fullDepths : 0; p < count; p++)
                packed[(nint)p * width + r] = source[r * stride + p];
        for (int p = 0; p < count; p++)
            new Span<float>(packed + (nint)p * width + used, width - used).Clear();
    }
}
