using System.Runtime.CompilerServices;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Gemm;

/// <summary>
/// The register tile: a <see cref="Rows"/>×<see cref="Columns"/> block of C held in accumulators for a whole depth
/// of packed panels, one broadcast of A and two vectors of B per depth step feeding 2·Rows FMAs. Twelve rows of two
/// Vector512 (24 accumulators, 2 B vectors and a broadcast: 27 of the 32 zmm registers) for AVX-512; six rows of two
/// Vector256 (15 of the 16 ymm registers) for AVX2. The JIT folds <see cref="Rows"/> per width and drops the unused
/// accumulators.
/// </summary>
internal static unsafe class GemmTile<TSimd, TVec>
    where TSimd : struct, ISimd<TVec>
    where TVec : struct
{
    /// <summary>Rows of C per tile: as many as the vector registers hold with two accumulators each.</summary>
    public static int Rows
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => TSimd.Count == 16 ? 12 : 6;
    }

    /// <summary>Columns of C per tile: two vectors.</summary>
    public static int Columns
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => 2 * TSimd.Count;
    }

    /// <summary>
    /// The full tile's sums of (packed A panel)·(packed B panel) over <paramref name="depth"/> steps, into
    /// <paramref name="sums"/> (Rows × Columns, row after row). Writing C is left to <see cref="Update"/>: inlined
    /// here, its edge cases would crowd the loop out of registers.
    /// </summary>
    public static void Multiply(int depth, float* a, float* b, float* sums)
    {
        TVec c0L = TSimd.Zero, c0H = TSimd.Zero,
            c1L = TSimd.Zero, c1H = TSimd.Zero,
            c2L = TSimd.Zero, c2H = TSimd.Zero,
            c3L = TSimd.Zero, c3H = TSimd.Zero,
            c4L = TSimd.Zero, c4H = TSimd.Zero,
            c5L = TSimd.Zero, c5H = TSimd.Zero,
            c6L = TSimd.Zero, c6H = TSimd.Zero,
            c7L = TSimd.Zero, c7H = TSimd.Zero,
            c8L = TSimd.Zero, c8H = TSimd.Zero,
            c9L = TSimd.Zero, c9H = TSimd.Zero,
            c10L = TSimd.Zero, c10H = TSimd.Zero,
            c11L = TSimd.Zero, c11H = TSimd.Zero;
        for (int p = 0; p < depth; p++)
        {
            TVec b0 = TSimd.Load(b), b1 = TSimd.Load(b + TSimd.Count), av;
            av = TSimd.Create(a[0]); c0L = TSimd.MultiplyAdd(av, b0, c0L); c0H = TSimd.MultiplyAdd(av, b1, c0H);
            av = TSimd.Create(a[1]); c1L = TSimd.MultiplyAdd(av, b0, c1L); c1H = TSimd.MultiplyAdd(av, b1, c1H);
            av = TSimd.Create(a[2]); c2L = TSimd.MultiplyAdd(av, b0, c2L); c2H = TSimd.MultiplyAdd(av, b1, c2H);
            av = TSimd.Create(a[3]); c3L = TSimd.MultiplyAdd(av, b0, c3L); c3H = TSimd.MultiplyAdd(av, b1, c3H);
            av = TSimd.Create(a[4]); c4L = TSimd.MultiplyAdd(av, b0, c4L); c4H = TSimd.MultiplyAdd(av, b1, c4H);
            av = TSimd.Create(a[5]); c5L = TSimd.MultiplyAdd(av, b0, c5L); c5H = TSimd.MultiplyAdd(av, b1, c5H);
            if (Rows > 6)
            {
                av = TSimd.Create(a[6]); c6L = TSimd.MultiplyAdd(av, b0, c6L); c6H = TSimd.MultiplyAdd(av, b1, c6H);
                av = TSimd.Create(a[7]); c7L = TSimd.MultiplyAdd(av, b0, c7L); c7H = TSimd.MultiplyAdd(av, b1, c7H);
                av = TSimd.Create(a[8]); c8L = TSimd.MultiplyAdd(av, b0, c8L); c8H = TSimd.MultiplyAdd(av, b1, c8H);
                av = TSimd.Create(a[9]); c9L = TSimd.MultiplyAdd(av, b0, c9L); c9H = TSimd.MultiplyAdd(av, b1, c9H);
                av = TSimd.Create(a[10]); c10L = TSimd.MultiplyAdd(av, b0, c10L); c10H = TSimd.MultiplyAdd(av, b1, c10H);
                av = TSimd.Create(a[11]); c11L = TSimd.MultiplyAdd(av, b0, c11L); c11H = TSimd.MultiplyAdd(av, b1, c11H);
            }
            a += Rows;
            b += Columns;
        }
        TSimd.Store(sums + 0 * Columns, c0L); TSimd.Store(sums + 0 * Columns + TSimd.Count, c0H);
        TSimd.Store(sums + 1 * Columns, c1L); TSimd.Store(sums + 1 * Columns + TSimd.Count, c1H);
        TSimd.Store(sums + 2 * Columns, c2L); TSimd.Store(sums + 2 * Columns + TSimd.Count, c2H);
        TSimd.Store(sums + 3 * Columns, c3L); TSimd.Store(sums + 3 * Columns + TSimd.Count, c3H);
        TSimd.Store(sums + 4 * Columns, c4L); TSimd.Store(sums + 4 * Columns + TSimd.Count, c4H);
        TSimd.Store(sums + 5 * Columns, c5L); TSimd.Store(sums + 5 * Columns + TSimd.Count, c5H);
        if (Rows == 6) return;
        TSimd.Store(sums + 6 * Columns, c6L); TSimd.Store(sums + 6 * Columns + TSimd.Count, c6H);
        TSimd.Store(sums + 7 * Columns, c7L); TSimd.Store(sums + 7 * Columns + TSimd.Count, c7H);
        TSimd.Store(sums + 8 * Columns, c8L); TSimd.Store(sums + 8 * Columns + TSimd.Count, c8H);
        TSimd.Store(sums + 9 * Columns, c9L); TSimd.Store(sums + 9 * Columns + TSimd.Count, c9H);
        TSimd.Store(sums + 10 * Columns, c10L); TSimd.Store(sums + 10 * Columns + TSimd.Count, c10H);
        TSimd.Store(sums + 11 * Columns, c11L); TSimd.Store(sums + 11 * Columns + TSimd.Count, c11H);
    }

    /// <summary>
    /// C[0..rows, 0..columns) ← α·sums + β·C; β = 0 overwrites C without reading it. Only the used part of C is
    /// touched.
    /// </summary>
    public static void Update(float* sums, float* c, nint ldc, float alpha, float beta, int rows, int columns)
    {
        for (int r = 0; r < rows; r++, sums += Columns, c += ldc)
            StoreRow(c, TSimd.Load(sums), TSimd.Load(sums + TSimd.Count), alpha, beta, columns);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, TVec low, TVec high, float alpha, float beta, int columns)
    {
        int width = TSimd.Count;
        if (columns >= width) Store(c, low, alpha, beta);
        else { StoreFirst(c, columns, low, alpha, beta); return; }
        if (columns == Columns) Store(c + width, high, alpha, beta);
        else if (columns > width) StoreFirst(c + width, columns - width, high, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, TVec sum, float alpha, float beta)
    {
        TVec scaled = TSimd.Multiply(TSimd.Create(alpha), sum);
        TSimd.Store(c, beta == 0f ? scaled : TSimd.MultiplyAdd(TSimd.Create(beta), TSimd.Load(c), scaled));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreFirst(float* c, int count, TVec sum, float alpha, float beta)
    {
        TVec scaled = TSimd.Multiply(TSimd.Create(alpha), sum);
        TSimd.StoreFirst(c, count, beta == 0f ? scaled : TSimd.MultiplyAdd(TSimd.Create(beta), TSimd.LoadFirst(c, count), scaled));
    }
}
