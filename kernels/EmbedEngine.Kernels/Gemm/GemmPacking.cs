using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
                Transpose8x8(source + r * stride + p, stride, packed + (nint)p * width + r, width);
        for (int r = 0; r < used; r++)
            for (int p = r < fullRows ? fullDepths : 0; p < count; p++)
                packed[(nint)p * width + r] = source[r * stride + p];
        for (int p = 0; p < count; p++)
            new Span<float>(packed + (nint)p * width + used, width - used).Clear();
    }

    /// <summary>destination[q][i] = source[i][q] for an 8 × 8 block: the usual unpack, shuffle and lane-swap sequence.</summary>
    private static void Transpose8x8(float* source, nint sourceStride, float* destination, nint destinationStride)
    {
        Vector256<float> r0 = Avx.LoadVector256(source), r1 = Avx.LoadVector256(source + sourceStride);
        Vector256<float> r2 = Avx.LoadVector256(source + 2 * sourceStride), r3 = Avx.LoadVector256(source + 3 * sourceStride);
        Vector256<float> r4 = Avx.LoadVector256(source + 4 * sourceStride), r5 = Avx.LoadVector256(source + 5 * sourceStride);
        Vector256<float> r6 = Avx.LoadVector256(source + 6 * sourceStride), r7 = Avx.LoadVector256(source + 7 * sourceStride);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE), s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE), s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(destination, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(destination + destinationStride, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(destination + 2 * destinationStride, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(destination + 3 * destinationStride, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(destination + 4 * destinationStride, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(destination + 5 * destinationStride, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(destination + 6 * destinationStride, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(destination + 7 * destinationStride, Avx.Permute2x128(s3, s7, 0x31));
    }
}
