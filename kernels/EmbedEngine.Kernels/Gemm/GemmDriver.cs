using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using EmbedEngine.Kernels.Simd;
using EmbedEngine.Kernels.Threading;

namespace EmbedEngine.Kernels.Gemm;

/// <summary>
/// The blocked product for one vector width, in the loop order of BLIS (Goto's algorithm) seen from C's rows: a
/// block of B (<see cref="DepthBlock"/> × <see cref="ColumnBlock"/>) is packed into the core's L2; one A panel
/// (<see cref="GemmTile{TSimd, TVec}.Rows"/> rows × depth, 12 KB) stays in L1 while the tile sweeps every B panel of
/// the block, streamed from L2. A block of A (<see cref="RowBlock"/> × <see cref="DepthBlock"/>) is read in place
/// when A is stored row by row (six contiguous streams per panel; measured 5–20% faster than packing it, from 2048²
/// down to 256²) and packed when it is transposed. Threads split C into row or column stripes, each a product of its own. The sizes were
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

    /// <summary>Rows of A per block, whole tiles: about 3072 × 512 floats (6 MB) of the shared L3, so B is packed once for products up to 3072 rows.</summary>
    internal static int RowBlock => 3072 / Rows * Rows;

    /// <summary>Multiply-adds below which another thread costs more than it saves (a 128³ product takes about 40 µs).</summary>
    private const long MinWorkPerThread = 128 * 128 * 128;

    private static int Rows => GemmTile<TSimd, TVec>.Rows;

    private static int Columns => GemmTile<TSimd, TVec>.Columns;

    /// <summary>One product on up to <paramref name="threads"/> threads (0: every core).</summary>
    public static void Multiply(in GemmShape shape, float alpha, float* a, float* b, float beta, float* c, int threads,
        GemmEpilogue epilogue = default)
    {
        int parts = Parts(shape, threads);
        if (parts == 1)
        {
            Blocked(shape, alpha, a, b, default, beta, c, epilogue);
            return;
        }
        if (SplitsDepth(shape, epilogue)) SplitDepth(shape, alpha, a, b, beta, c, parts);
        else Split(shape, alpha, a, b, default, beta, c, epilogue, parts);
    }

    /// <summary>
    /// Whether C is small beside the depth (a weight gradient: dyᵀ·x over a batch of rows): stripes of C would each
    /// pack all of the long operands, so the depth blocks are shared out instead. Epilogues stay with the row split.
    /// </summary>
    private static bool SplitsDepth(in GemmShape shape, GemmEpilogue epilogue) =>
        epilogue.Bias == null && !epilogue.Relu && shape.K > DepthBlock && shape.K >= 2 * Math.Max(shape.M, shape.N);

    /// <summary>
    /// Depth block 0 goes into C with β as in <see cref="Blocked"/>; block p ≥ 1 into its own scratch as α·A_p·B_p,
    /// and the scratches are added into C in block order afterwards. Blocked's later depth blocks do the same
    /// addition (β = 1 adds α·sum to C, rounded once), so the result is the one-thread result bit for bit.
    /// </summary>
    private static void SplitDepth(in GemmShape shape, float alpha, float* a, float* b, float beta, float* c, int parts)
    {
        int blocks = (shape.K + DepthBlock - 1) / DepthBlock;
        nint outputs = (nint)shape.M * shape.N;
        float* partials = GemmBuffers.ForThisThread.Partials((blocks - 1) * outputs);
        var job = new Job { Shape = shape, Alpha = alpha, A = a, B = b, Beta = beta, C = c, Partials = partials, Parts = Math.Min(parts, blocks) };
        KernelThreads.Run(job.Parts, &RunDepthBlocks, &job);
        for (int p = 1; p < blocks; p++)
            for (int i = 0; i < shape.M; i++)
                AxpyKernel.Axpy(1f, new ReadOnlySpan<float>(partials + (p - 1) * outputs + (nint)i * shape.N, shape.N), new Span<float>(c + i * shape.Ldc, shape.N));
    }

    /// <summary>Part <paramref name="part"/> of a depth split: depth blocks part, part + parts, ….</summary>
    private static void RunDepthBlocks(void* state, int part)
    {
        ref readonly Job job = ref *(Job*)state;
        GemmShape shape = job.Shape;
        for (int p = part, p0 = part * DepthBlock; p0 < shape.K; p += job.Parts, p0 += job.Parts * DepthBlock)
        {
            int kc = Math.Min(DepthBlock, shape.K - p0);
            float* a = job.A + (shape.TransposeA ? p0 * shape.Lda : p0), b = job.B + (shape.TransposeB ? p0 : p0 * shape.Ldb);
            if (p == 0)
                Blocked(shape.Depth(kc, (int)shape.Ldc), job.Alpha, a, b, default, job.Beta, job.C, default);
            else
                Blocked(shape.Depth(kc, shape.N), job.Alpha, a, b, default, 0f, job.Partials + (p - 1) * (nint)shape.M * shape.N, default);
        }
    }

    /// <summary>One product whose op(B) was packed beforehand (<see cref="Pack"/>), on up to <paramref name="threads"/> threads.</summary>
    public static void MultiplyPacked(in GemmShape shape, float alpha, float* a, PackedB packed, float beta, float* c, int threads,
        GemmEpilogue epilogue)
    {
        var panels = new PrepackedPanels(packed.Data, packed.PaddedColumns, 0);
        int parts = Parts(shape, threads);
        if (parts == 1) Blocked(shape, alpha, a, null, panels, beta, c, epilogue);
        else Split(shape, alpha, a, null, panels, beta, c, epilogue, parts);
    }

    /// <summary>Packs op(B) of <paramref name="shape"/> (its K × N) depth block by depth block, each block all N columns wide.</summary>
    public static void Pack(in GemmShape shape, float* b, PackedB packed)
    {
        for (int p0 = 0; p0 < shape.K; p0 += DepthBlock)
        {
            int kc = Math.Min(DepthBlock, shape.K - p0);
            GemmPacking.PackB(shape, b, p0, kc, 0, shape.N, Columns, packed.Data + (nint)packed.PaddedColumns * p0);
        }
    }

    /// <summary>Splits the longer side of C into stripes of whole tiles, one product each; each thread packs its own blocks.</summary>
    private static void Split(in GemmShape shape, float alpha, float* a, float* b, PrepackedPanels panels, float beta, float* c,
        GemmEpilogue epilogue, int parts)
    {
        bool byRows = shape.M >= shape.N;
        int side = byRows ? shape.M : shape.N, tile = byRows ? Rows : Columns;
        int stripe = ((side + tile - 1) / tile + parts - 1) / parts * tile;
        var job = new Job
        {
            Shape = shape, Alpha = alpha, A = a, B = b, Panels = panels, Beta = beta, C = c, Epilogue = epilogue, Stripe = stripe, ByRows = byRows,
        };
        KernelThreads.Run((side + stripe - 1) / stripe, &RunStripe, &job);
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
            var job = new Job
            {
                Shape = shape, Alpha = alpha, A = a, B = b, Beta = beta, C = c,
                StrideA = strideA, StrideB = strideB, StrideC = strideC, BatchCount = batchCount, Parts = parts,
            };
            KernelThreads.Run(parts, &RunItems, &job);
            return;
        }
        for (int i = 0; i < batchCount; i++)
            Multiply(shape, alpha, a + i * strideA, b + i * strideB, beta, c + i * strideC, threads);
    }

    /// <summary>The request, at most one thread per core: more would only take turns on the same cores.</summary>
    private static int Threads(int requested) =>
        requested == 0 ? Environment.ProcessorCount : Math.Min(requested, Environment.ProcessorCount);

    /// <summary>How many threads the product is worth: at most the request, at least <see cref="MinWorkPerThread"/> each.</summary>
    private static int Parts(in GemmShape shape, int threads)
    {
        long work = (long)shape.M * shape.N * shape.K;
        return (int)Math.Clamp(work / MinWorkPerThread, 1, Threads(threads));
    }

    /// <summary>
    /// The whole product on the calling thread; B's blocks come from <paramref name="panels"/> when it holds them.
    /// The epilogue's bias goes in with the first depth block (with β), its ReLU with the last.
    /// </summary>
    private static void Blocked(in GemmShape shape, float alpha, float* a, float* b, PrepackedPanels panels, float beta, float* c,
        GemmEpilogue epilogue)
    {
        if (shape.K == 0 || alpha == 0f)
        {
            ScaleC(shape, beta, c);
            epilogue.ApplyTo(c, shape.M, shape.N, shape.Ldc);
            return;
        }
        GemmBuffers buffers = GemmBuffers.ForThisThread;
        int rowBlock = Math.Min(RowBlock, shape.M), depthBlock = Math.Min(DepthBlock, shape.K);
        float* packedA = buffers.A((nint)(rowBlock + Rows) * depthBlock);
        float* packedB = panels.Data == null ? buffers.B((nint)(ColumnBlock + Columns) * depthBlock) : null;
        float* sums = buffers.Sums(Rows * Columns);
        for (int i0 = 0; i0 < shape.M; i0 += RowBlock)
        {
            int mc = Math.Min(RowBlock, shape.M - i0);
            for (int p0 = 0; p0 < shape.K; p0 += DepthBlock)
            {
                int kc = Math.Min(DepthBlock, shape.K - p0);
                // β applies once, with the first depth block; later blocks add to what it left.
                float blockBeta = p0 == 0 ? beta : 1f;
                float* bias = p0 == 0 ? epilogue.Bias : null;
                bool relu = epilogue.Relu && p0 + kc == shape.K;
                // Aᵀ read in place would touch a new cache line at every depth step, so it is packed.
                var blockA = shape.TransposeA
                    ? new PanelsOfA(packedA, 1, Rows, kc)
                    : new PanelsOfA(a + shape.RowOfA(i0) + p0, shape.Lda, 1, shape.Lda);
                if (shape.TransposeA) GemmPacking.PackTransposedA(shape, a, i0, mc, p0, kc, Rows, packedA);
                for (int j0 = 0; j0 < shape.N; j0 += ColumnBlock)
                {
                    int nc = Math.Min(ColumnBlock, shape.N - j0);
                    float* blockB = panels.Data != null ? panels.Block(p0, j0, kc) : packedB;
                    if (panels.Data == null) GemmPacking.PackB(shape, b, p0, kc, j0, nc, Columns, packedB);
                    Sweep(shape.Ldc, kc, mc, nc, blockA, blockB, sums, c + i0 * shape.Ldc + j0, alpha, blockBeta,
                        bias == null ? null : bias + j0, relu);
                }
            }
        }
    }

    /// <summary>
    /// Every tile of one packed A block times one packed B block; the A panel is reused across the row of tiles.
    /// <paramref name="bias"/> (the block's columns, or null) and <paramref name="relu"/> go to each tile's update.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Sweep(nint ldc, int kc, int mc, int nc, PanelsOfA blockA, float* packedB, float* sums, float* c,
        float alpha, float beta, float* bias, bool relu)
    {
        for (int ir = 0; ir < mc; ir += Rows)
        {
            float* panelA = blockA.Start + ir * blockA.PanelStride;
            int rows = Math.Min(Rows, mc - ir);
            for (int jr = 0; jr < nc; jr += Columns)
            {
                float* tile = c + ir * ldc + jr;
                int columns = Math.Min(Columns, nc - jr);
                PrefetchTile(tile, ldc, rows);
                GemmTile<TSimd, TVec>.Multiply(kc, panelA, blockA.RowStride, blockA.DepthStride, rows, columns, packedB + (nint)jr * kc, sums);
                GemmTile<TSimd, TVec>.Update(sums, tile, ldc, alpha, beta, rows, columns, bias == null ? null : bias + jr, relu);
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

    /// <summary>Part <paramref name="part"/> of a product split into stripes: rows (or columns) part·stripe onwards, clipped to C.</summary>
    private static void RunStripe(void* state, int part)
    {
        ref readonly Job job = ref *(Job*)state;
        GemmShape shape = job.Shape;
        int first = part * job.Stripe;
        if (job.ByRows)
            Blocked(shape.Part(Math.Min(job.Stripe, shape.M - first), shape.N), job.Alpha, job.A + shape.RowOfA(first), job.B,
                job.Panels, job.Beta, job.C + first * shape.Ldc, job.Epilogue);
        else
            Blocked(shape.Part(shape.M, Math.Min(job.Stripe, shape.N - first)), job.Alpha, job.A,
                job.Panels.Data != null ? null : job.B + shape.ColumnOfB(first), job.Panels.From(first), job.Beta, job.C + first,
                job.Epilogue.From(first));
    }

    /// <summary>Part <paramref name="part"/> of a batch: items part, part + parts, ….</summary>
    private static void RunItems(void* state, int part)
    {
        ref readonly Job job = ref *(Job*)state;
        for (int i = part; i < job.BatchCount; i += job.Parts)
            Blocked(job.Shape, job.Alpha, job.A + i * job.StrideA, job.B + i * job.StrideB, default, job.Beta, job.C + i * job.StrideC, default);
    }

    /// <summary>
    /// Where a block of op(A) lies: row r, depth p of the panel that starts at row ir is at
    /// Start + ir·PanelStride + r·RowStride + p·DepthStride (packed panels, or A itself).
    /// </summary>
    private readonly struct PanelsOfA(float* start, nint rowStride, nint depthStride, nint panelStride)
    {
        public readonly float* Start = start;
        public readonly nint RowStride = rowStride, DepthStride = depthStride, PanelStride = panelStride;
    }

    /// <summary>
    /// B packed beforehand: depth block p0 starts <see cref="PaddedColumns"/>·p0 floats in and holds every column's
    /// panel in order, so the block of columns j0 onwards of a product that starts at column <see cref="ColumnOffset"/>
    /// starts (ColumnOffset + j0)·kc floats into it. Null data means B is packed as the product goes.
    /// </summary>
    private readonly struct PrepackedPanels(float* data, int paddedColumns, int columnOffset)
    {
        public readonly float* Data = data;
        public readonly int PaddedColumns = paddedColumns, ColumnOffset = columnOffset;

        public float* Block(int p0, int j0, int kc) => Data + (nint)PaddedColumns * p0 + (nint)(ColumnOffset + j0) * kc;

        /// <summary>The same panels seen from a stripe of C that starts <paramref name="columns"/> further right.</summary>
        public PrepackedPanels From(int columns) => Data == null ? this : new(Data, PaddedColumns, ColumnOffset + columns);
    }

    /// <summary>A product's arguments and how it is split, handed to the workers by pointer.</summary>
    private struct Job
    {
        public GemmShape Shape;
        public float Alpha, Beta;
        public float* A, B, C;
        public PrepackedPanels Panels;
        public GemmEpilogue Epilogue;

        /// <summary>Rows (or columns) of C per part of one product.</summary>
        public int Stripe;
        public bool ByRows;

        /// <summary>A batch: item strides, item count and the parts they are spread over (or a depth split's parts).</summary>
        public long StrideA, StrideB, StrideC;
        public int BatchCount, Parts;

        /// <summary>A depth split: the scratch results of depth blocks 1 onwards, M × N floats each.</summary>
        public float* Partials;
    }
}
