using System.Runtime.Intrinsics.X86;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Gemm;

/// <summary>
/// The blocked product for one vector width, in the loop order of BLIS (Goto's algorithm) seen from C's rows: a
/// block of A (<see cref="RowBlock"/> × <see cref="DepthBlock"/>) is packed once per depth block and stays in L3; a
/// block of B (<see cref="DepthBlock"/> × <see cref="ColumnBlock"/>) is packed into the core's L2; one A panel
/// (<see cref="GemmTile{TSimd, TVec}.Rows"/> × depth, 12 KB) stays in L1 while the tile sweeps every B panel of the
/// block, streamed from L2. Threads split C into row or column stripes, each a product of its own. The sizes were
/// tuned on Zen 4 (32 KB L1D, 1 MB L2 per core, 32 MB L3) and suit Zen 5's 48 KB L1D as well.
/// </summary>
internal static unsafe class GemmDriver<TSimd, TVec>
    where TSimd : struct, ISimd<TVec>
    where TVec : struct
{
    /// <summary>
    /// Depth per packed panel: C is read and written once per depth block, so deeper is better while the A panel
    /// (6 × 512 floats, 12 KB) still leaves room in a 32 KB L1D for B's stream (384 to 768 measured within noise).
    /// </summary>
    internal const int DepthBlock = 512;

    /// <summary>Columns of B per packed block, whole tiles: 512 × 384 floats (768 KB) stay in a 1 MB L2.</summary>
    internal const int ColumnBlock = 384;

    /// <summary>Rows of A per packed block, whole tiles: about 3072 × 512 floats (6 MB) of the shared L3, so B is packed once for products up to 3072 rows.</summary>
    internal static int RowBlock => 3072 / Rows * Rows;

    /// <summary>Multiply-adds below which another thread costs more than it saves (a 128³ product takes about 40 µs).</summary>
    private const long MinWorkPerThread = 128 * 128 * 128;

    private static int Rows => GemmTile<TSimd, TVec>.Rows;

    private static int Columns => GemmTile<TSimd, TVec>.Columns;

    /// <summary>One product on up to <paramref name="threads"/> threads (0: every core).</summary>
    public static void Multiply(in GemmShape shape, float alpha, float* a, float* b, float beta, float* c, int threads)
    {
        int parts = Parts(shape, threads);
        if (parts == 1)
        {
            Blocked(shape, alpha, a, b, beta, c);
            return;
        }
        // Split the longer side of C into stripes of whole tiles; each thread packs its own blocks.
        bool byRows = shape.M >= shape.N;
        int side = byRows ? shape.M : shape.N, tile = byRows ? Rows : Columns;
        int stripe = ((side + tile - 1) / tile + parts - 1) / parts * tile;
        var job = new Job(shape, alpha, a, b, beta, c);
        int stripes = (side + stripe - 1) / stripe;
        Parallel.For(0, stripes, new ParallelOptions { MaxDegreeOfParallelism = parts }, s => job.Stripe(s * stripe, stripe, byRows));
    }

    /// <summary>
    /// A batch: items small enough for one thread each are spread over the threads; larger ones run in turn, each
    /// on every thread.
    /// </summary>
    public static void Batched(in GemmShape shape, float alpha, float* a, long strideA, float* b, long strideB,
        float beta, float* c, long strideC, int batchCount, int threads)
    {
        int parts = Math.Min(Threads(threads), batchCount);
        if (parts > 1 && Parts(shape, threads) == 1)
        {
            var job = new Job(shape, alpha, a, b, beta, c);
            Parallel.For(0, batchCount, new ParallelOptions { MaxDegreeOfParallelism = parts },
                i => job.Item(i, strideA, strideB, strideC));
            return;
        }
        for (int i = 0; i < batchCount; i++)
            Multiply(shape, alpha, a + i * strideA, b + i * strideB, beta, c + i * strideC, threads);
    }

    private static int Threads(int requested) => requested == 0 ? Environment.ProcessorCount : requested;

    /// <summary>How many threads the product is worth: at most the request, at least <see cref="MinWorkPerThread"/> each.</summary>
    private static int Parts(in GemmShape shape, int threads)
    {
        long work = (long)shape.M * shape.N * shape.K;
        return (int)Math.Clamp(work / MinWorkPerThread, 1, Threads(threads));
    }

    /// <summary>The whole product on the calling thread.</summary>
    private static void Blocked(in GemmShape shape, float alpha, float* a, float* b, float beta, float* c)
    {
        if (shape.K == 0 || alpha == 0f)
        {
            ScaleC(shape, beta, c);
            return;
        }
        GemmBuffers buffers = GemmBuffers.ForThisThread;
        int rowBlock = Math.Min(RowBlock, shape.M), depthBlock = Math.Min(DepthBlock, shape.K);
        float* packedA = buffers.A((nint)(rowBlock + Rows) * depthBlock);
        float* packedB = buffers.B((nint)(ColumnBlock + Columns) * depthBlock);
        float* sums = buffers.Sums(Rows * Columns);
        for (int i0 = 0; i0 < shape.M; i0 += RowBlock)
        {
            int mc = Math.Min(RowBlock, shape.M - i0);
            for (int p0 = 0; p0 < shape.K; p0 += DepthBlock)
            {
                int kc = Math.Min(DepthBlock, shape.K - p0);
                // β applies once, with the first depth block; later blocks add to what it left.
                float blockBeta = p0 == 0 ? beta : 1f;
                GemmPacking.PackA(shape, a, i0, mc, p0, kc, Rows, packedA);
                for (int j0 = 0; j0 < shape.N; j0 += ColumnBlock)
                {
                    int nc = Math.Min(ColumnBlock, shape.N - j0);
                    GemmPacking.PackB(shape, b, p0, kc, j0, nc, Columns, packedB);
                    Sweep(shape.Ldc, kc, mc, nc, packedA, packedB, sums, c + i0 * shape.Ldc + j0, alpha, blockBeta);
                }
            }
        }
    }

    /// <summary>Every tile of one packed A block times one packed B block; the A panel is reused across the row of tiles.</summary>
    private static void Sweep(nint ldc, int kc, int mc, int nc, float* packedA, float* packedB, float* sums, float* c,
        float alpha, float beta)
    {
        for (int ir = 0; ir < mc; ir += Rows)
        {
            float* panelA = packedA + (nint)ir * kc;
            int rows = Math.Min(Rows, mc - ir);
            for (int jr = 0; jr < nc; jr += Columns)
            {
                float* tile = c + ir * ldc + jr;
                PrefetchTile(tile, ldc, rows);
                GemmTile<TSimd, TVec>.Multiply(kc, panelA, packedB + (nint)jr * kc, sums);
                GemmTile<TSimd, TVec>.Update(sums, tile, ldc, alpha, beta, rows, Math.Min(Columns, nc - jr));
            }
        }
    }

    /// <summary>
    /// Asks for the tile's lines of C while the tile computes (thousands of cycles), so the update finds them in
    /// cache instead of waiting on memory for each row: C is streamed once per depth block.
    /// </summary>
    private static void PrefetchTile(float* tile, nint ldc, int rows)
    {
        const int FloatsPerLine = 16;
        for (int r = 0; r < rows; r++, tile += ldc)
            for (int j = 0; j < Columns; j += FloatsPerLine)
                Sse.Prefetch0(tile + j);
    }

    /// <summary>C ← β·C, the whole product when there is nothing to multiply; β = 0 clears C (NaN included).</summary>
    private static void ScaleC(in GemmShape shape, float beta, float* c)
    {
        for (int i = 0; i < shape.M; i++)
        {
            var row = new Span<float>(c + i * shape.Ldc, shape.N);
            if (beta == 0f) row.Clear();
            else if (beta != 1f) ScaleKernel.Scale(beta, row);
        }
    }

    /// <summary>A product's arguments, carried to the worker threads.</summary>
    private readonly struct Job(GemmShape shape, float alpha, float* a, float* b, float beta, float* c)
    {
        /// <summary>Rows (or columns) [first, first + count) of C, clipped to C.</summary>
        public void Stripe(int first, int count, bool byRows)
        {
            if (byRows)
            {
                int m = Math.Min(count, shape.M - first);
                Blocked(shape.Part(m, shape.N), alpha, a + shape.RowOfA(first), b, beta, c + first * shape.Ldc);
            }
            else
            {
                int n = Math.Min(count, shape.N - first);
                Blocked(shape.Part(shape.M, n), alpha, a, b + shape.ColumnOfB(first), beta, c + first);
            }
        }

        /// <summary>Item <paramref name="i"/> of a batch.</summary>
        public void Item(int i, long strideA, long strideB, long strideC) =>
            Blocked(shape, alpha, a + i * strideA, b + i * strideB, beta, c + i * strideC);
    }
}
