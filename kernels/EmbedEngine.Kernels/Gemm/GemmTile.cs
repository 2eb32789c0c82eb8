using System.Runtime.CompilerServices;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Gemm;

/// <summary>
/// The register tile: a <see cref="Rows"/>×<see cref="Columns"/> block of C held in accumulators for a whole depth
/// of packed panels; each depth step broadcasts one element of A per row against the row of B vectors. AVX-512: six
/// rows of four Vector512 (24 accumulators, 4 B vectors and a broadcast: 29 of the 32 zmm registers), one broadcast
/// per four FMAs (a 12×32 tile needs one per two and measured about 5% slower on Zen 4). AVX2: six rows of two
/// Vector256 (15 of the 16 ymm registers). The JIT folds <see cref="Wide"/> per width and drops what the narrow tile
/// does not use; DOTNET_JitDisasm shows the AVX-512 loop as 4 loads, 6 broadcasts and 24 FMAs, nothing spilled.
/// </summary>
internal static unsafe class GemmTile<TSimd, TVec>
    where TSimd : struct, ISimd<TVec>
    where TVec : struct
{
    /// <summary>Four vectors per row (AVX-512) rather than two.</summary>
    private static bool Wide
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => TSimd.Count == 16;
    }

    /// <summary>Rows of C per tile.</summary>
    public static int Rows
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => 6;
    }

    /// <summary>Columns of C per tile: four vectors for AVX-512, two for AVX2.</summary>
    public static int Columns
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (Wide ? 4 : 2) * TSimd.Count;
    }

    /// <summary>
    /// The tile's sums of (A panel)·(packed B panel) over <paramref name="depth"/> steps, into <paramref name="sums"/>
    /// (Rows × Columns, row after row). Row r, depth p of the A panel is at a + r·<paramref name="rowStride"/> +
    /// p·<paramref name="depthStride"/>: a packed panel or A in place; only <paramref name="rows"/> rows are read.
    /// Edge tiles skip work that would be thrown away: up to four rows are computed as four, and up to one vector of
    /// columns (the 10 classes of a classifier's last layer) as one. Each sum takes the same steps in every case.
    /// Writing C is left to <see cref="Update"/>: inlined here, its edge cases would crowd the loop out of registers.
    /// </summary>
    public static void Multiply(int depth, float* a, nint rowStride, nint depthStride, int rows, int columns, float* b, float* sums)
    {
        if (columns <= TSimd.Count) Multiply<OneVector>(depth, a, rowStride, depthStride, rows, b, sums);
        else if (rows <= 4) Multiply<FourRows>(depth, a, rowStride, depthStride, rows, b, sums);
        else Multiply<FullTile>(depth, a, rowStride, depthStride, rows, b, sums);
    }

    /// <summary>
    /// The tile loop for one shape; the JIT drops the rows and vectors <typeparamref name="TShape"/> leaves out.
    /// Compiled optimized from the first call: unoptimized, with its steps not inlined, it ran about 40 times slower,
    /// and a short run (or a benchmark's pilot) could finish before tiered compilation replaced it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply<TShape>(int depth, float* a, nint rowStride, nint depthStride, int rows, float* b, float* sums)
        where TShape : struct, ITileShape
    {
        // Rows past the used ones re-read the last used row: their sums are computed and never written to C.
        float* a0 = a, a1 = a0 + (rows > 1 ? rowStride : 0), a2 = a1 + (rows > 2 ? rowStride : 0),
            a3 = a2 + (rows > 3 ? rowStride : 0), a4 = a3 + (rows > 4 ? rowStride : 0), a5 = a4 + (rows > 5 ? rowStride : 0);
        nint at = 0;
        TVec c00 = TSimd.Zero, c01 = TSimd.Zero, c02 = TSimd.Zero, c03 = TSimd.Zero,
            c10 = TSimd.Zero, c11 = TSimd.Zero, c12 = TSimd.Zero, c13 = TSimd.Zero,
            c20 = TSimd.Zero, c21 = TSimd.Zero, c22 = TSimd.Zero, c23 = TSimd.Zero,
            c30 = TSimd.Zero, c31 = TSimd.Zero, c32 = TSimd.Zero, c33 = TSimd.Zero,
            c40 = TSimd.Zero, c41 = TSimd.Zero, c42 = TSimd.Zero, c43 = TSimd.Zero,
            c50 = TSimd.Zero, c51 = TSimd.Zero, c52 = TSimd.Zero, c53 = TSimd.Zero;
        for (int p = 0; p < depth; p++)
        {
            TVec b0 = TSimd.Load(b), b1 = TShape.OneVector ? TSimd.Zero : TSimd.Load(b + TSimd.Count),
                b2 = Wide && !TShape.OneVector ? TSimd.Load(b + 2 * TSimd.Count) : TSimd.Zero,
                b3 = Wide && !TShape.OneVector ? TSimd.Load(b + 3 * TSimd.Count) : TSimd.Zero;
            Step<TShape>(a0[at], b0, b1, b2, b3, ref c00, ref c01, ref c02, ref c03);
            Step<TShape>(a1[at], b0, b1, b2, b3, ref c10, ref c11, ref c12, ref c13);
            Step<TShape>(a2[at], b0, b1, b2, b3, ref c20, ref c21, ref c22, ref c23);
            Step<TShape>(a3[at], b0, b1, b2, b3, ref c30, ref c31, ref c32, ref c33);
            if (!TShape.FourRows)
            {
                Step<TShape>(a4[at], b0, b1, b2, b3, ref c40, ref c41, ref c42, ref c43);
                Step<TShape>(a5[at], b0, b1, b2, b3, ref c50, ref c51, ref c52, ref c53);
            }
            at += depthStride;
            b += Columns;
        }
        StoreRow(sums, c00, c01, c02, c03);
        StoreRow(sums + 1 * Columns, c10, c11, c12, c13);
        StoreRow(sums + 2 * Columns, c20, c21, c22, c23);
        StoreRow(sums + 3 * Columns, c30, c31, c32, c33);
        if (TShape.FourRows) return;
        StoreRow(sums + 4 * Columns, c40, c41, c42, c43);
        StoreRow(sums + 5 * Columns, c50, c51, c52, c53);
    }

    /// <summary>
    /// C[0..rows, 0..columns) ← α·sums + β·C (+ bias[j] when <paramref name="bias"/> is not null, then max(0, ·) when
    /// <paramref name="relu"/>); β = 0 overwrites C without reading it. Only the used part of C is touched.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Update(float* sums, float* c, nint ldc, float alpha, float beta, int rows, int columns, float* bias, bool relu)
    {
        for (int r = 0; r < rows; r++, sums += Columns, c += ldc)
            for (int j = 0; j < columns; j += TSimd.Count)
            {
                int count = Math.Min(columns - j, TSimd.Count);
                bool full = count == TSimd.Count;
                TVec value = TSimd.Multiply(TSimd.Create(alpha), TSimd.Load(sums + j));
                if (beta != 0f) value = TSimd.MultiplyAdd(TSimd.Create(beta), full ? TSimd.Load(c + j) : TSimd.LoadFirst(c + j, count), value);
                if (bias != null) value = TSimd.Add(value, full ? TSimd.Load(bias + j) : TSimd.LoadFirst(bias + j, count));
                if (relu) value = TSimd.Max(TSimd.Zero, value);
                if (full) TSimd.Store(c + j, value);
                else TSimd.StoreFirst(c + j, count, value);
            }
    }

    /// <summary>One row of the tile, one depth step: its element of A times the row of B vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step<TShape>(float a, TVec b0, TVec b1, TVec b2, TVec b3, ref TVec c0, ref TVec c1, ref TVec c2, ref TVec c3)
        where TShape : struct, ITileShape
    {
        TVec broadcast = TSimd.Create(a);
        c0 = TSimd.MultiplyAdd(broadcast, b0, c0);
        if (TShape.OneVector) return;
        c1 = TSimd.MultiplyAdd(broadcast, b1, c1);
        if (!Wide) return;
        c2 = TSimd.MultiplyAdd(broadcast, b2, c2);
        c3 = TSimd.MultiplyAdd(broadcast, b3, c3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* row, TVec v0, TVec v1, TVec v2, TVec v3)
    {
        TSimd.Store(row, v0);
        TSimd.Store(row + TSimd.Count, v1);
        if (!Wide) return;
        TSimd.Store(row + 2 * TSimd.Count, v2);
        TSimd.Store(row + 3 * TSimd.Count, v3);
    }

    /// <summary>Which part of the tile a loop computes; the properties are constants the JIT folds per shape.</summary>
    private interface ITileShape
    {
        /// <summary>Only the first four rows.</summary>
        static abstract bool FourRows { get; }

        /// <summary>Only the first vector of columns.</summary>
        static abstract bool OneVector { get; }
    }

    private readonly struct FullTile : ITileShape
    {
        public static bool FourRows => false;

        public static bool OneVector => false;
    }

    private readonly struct FourRows : ITileShape
    {
        static bool ITileShape.FourRows => true;

        public static bool OneVector => false;
    }

    private readonly struct OneVector : ITileShape
    {
        public static bool FourRows => false;

        static bool ITileShape.OneVector => true;
    }
}
