using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EmbedEngine.Kernels.Gemm;
using EmbedEngine.Kernels.Simd;
using EmbedEngine.Kernels.Threading;

namespace EmbedEngine.Kernels.Dense;

/// <summary>
/// <see cref="InfoNceKernel"/>'s vector variants. Each thread takes every parts-th block of
/// <see cref="InfoNceKernel.BlockRows"/> image rows and forms its logits against all N captions with one GEMM (Tᵀ
/// packed once for every block; M = N + H columns with the hard negatives). The first sweep finishes each row's log-sum-exp inside its block and keeps a running
/// maximum and rescaled sum per column, one set per thread, merged at the end. The second sweep recomputes the block,
/// turns it into G in place and adds its two products: dI for the block's own rows, and dT into the thread's own
/// M × d buffer (the first thread writes dT itself), summed at the end. The hard-negative columns have no column term.
/// </summary>
internal static unsafe class InfoNceBlocked<TSimd, TVec>
    where TSimd : struct, ISimd<TVec>
    where TVec : struct
{
    private const int BlockRows = InfoNceKernel.BlockRows;

    public static float Compute(float* image, float* text, int count, int negatives, int dimension, float logScale, float maxScale,
        float* imageGrad, float* textGrad, float* logScaleGrad, int threads)
    {
        bool gradients = InfoNceKernel.Check(image, text, count, negatives, dimension, logScale, maxScale, imageGrad, textGrad, logScaleGrad);
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        int n = count, m = count + negatives, d = dimension;
        if (n == 0)
        {
            if (gradients) *logScaleGrad = 0f;
            return 0f;
        }
        int blocks = (n + BlockRows - 1) / BlockRows;
        int cores = threads == 0 ? Environment.ProcessorCount : Math.Min(threads, Environment.ProcessorCount);
        int parts = Math.Min(cores, blocks);
        Isa isa = TSimd.Count == 16 ? Isa.Avx512 : Isa.Avx2;
        var job = new Job
        {
            Image = image, Text = text, N = n, M = m, D = d, Parts = parts, Blocks = blocks,
            Scale = InfoNceKernel.Scale(logScale, maxScale),
            Logits = Allocate((long)parts * BlockRows * m),
            RowLse = Allocate(n),
            Diagonal = Allocate(n),
            ColumnMax = Allocate((long)parts * n),
            ColumnSum = Allocate((long)parts * n),
        };
        try
        {
            using PackedB textTransposed = SgemmKernel.PackB(transposeB: true, d, m, text, d, isa);
            job.TextTransposed = textTransposed;
            KernelThreads.Run(parts, &Forward, Unsafe.AsPointer(ref job));
            MergeColumns(ref job);
            double loss = 0;
            for (int i = 0; i < n; i++) loss += job.RowLse[i] + job.ColumnMax[i] - 2.0 * job.Diagonal[i];
            if (gradients)
            {
                job.ImageGrad = imageGrad;
                job.TextGrad = textGrad;
                job.TextGradParts = Allocate((long)(parts - 1) * m * d);
                job.LogitGradSums = (double*)NativeMemory.AllocZeroed((nuint)parts, sizeof(double));
                using PackedB textRows = SgemmKernel.PackB(transposeB: false, m, d, text, d, isa);
                job.TextRows = textRows;
                KernelThreads.Run(parts, &Backward, Unsafe.AsPointer(ref job));
                long floats = (long)m * d;
                for (int p = 1; p < parts; p++)
                    SimdLoop<TSimd, TVec>.Columns((int)floats, new AxpyKernel.Step<TSimd, TVec>(TSimd.Create(1f), job.TextGradParts + (p - 1) * floats, textGrad));
                double logitGradSum = 0;
                for (int p = 0; p < parts; p++) logitGradSum += job.LogitGradSums[p];
                *logScaleGrad = InfoNceKernel.ScaleIsClamped(logScale, maxScale) ? 0f : (float)logitGradSum;
            }
            return (float)(loss / (2.0 * n));
        }
        finally
        {
            NativeMemory.AlignedFree(job.Logits);
            NativeMemory.AlignedFree(job.RowLse);
            NativeMemory.AlignedFree(job.Diagonal);
            NativeMemory.AlignedFree(job.ColumnMax);
            NativeMemory.AlignedFree(job.ColumnSum);
            NativeMemory.AlignedFree(job.TextGradParts);
            NativeMemory.Free(job.LogitGradSums);
        }
    }

    private static float* Allocate(long floats) =>
        (float*)NativeMemory.AlignedAlloc((nuint)Math.Max(floats, 1) * sizeof(float), NativeMatrix.Alignment);

    /// <summary>The first sweep for one thread's blocks: row log-sum-exps, the diagonal, running column statistics.</summary>
    private static void Forward(void* state, int part)
    {
        ref Job job = ref Unsafe.AsRef<Job>(state);
        int n = job.N, m = job.M, d = job.D;
        float* logits = job.Logits + (long)part * BlockRows * m;
        float* columnMax = job.ColumnMax + (long)part * n, columnSum = job.ColumnSum + (long)part * n;
        new Span<float>(columnMax, n).Fill(float.NegativeInfinity);
        new Span<float>(columnSum, n).Clear();
        for (int block = part; block < job.Blocks; block += job.Parts)
        {
            int first = block * BlockRows, rows = Math.Min(BlockRows, n - first);
            SgemmKernel.MultiplyPacked(false, rows, job.Scale, job.Image + (long)first * d, d, job.TextTransposed!, 0f, logits, m, threads: 1);
            for (int r = 0; r < rows; r++)
            {
                float* row = logits + (long)r * m;
                job.Diagonal[first + r] = row[first + r];
                float max = SimdLoop<TSimd, TVec>.Max(row, m);
                job.RowLse[first + r] = max + MathF.Log(SimdLoop<TSimd, TVec>.SumOfExp(row, m, max));
            }
            AddToColumns(logits, rows, n, m, columnMax, columnSum);
        }
    }

    /// <summary>
    /// Folds a block's rows (<paramref name="stride"/> apart) into each of the first <paramref name="n"/> columns' running maximum M and sum Σe^(x − M): the block's maximum first, then
    /// the old sum rescaled to the new maximum (an old maximum of −∞ rescales 0 to 0) plus the block's terms.
    /// </summary>
    private static void AddToColumns(float* logits, int rows, int n, int stride, float* columnMax, float* columnSum) =>
        SimdLoop<TSimd, TVec>.Columns(n, new ColumnStep(logits, rows, stride, columnMax, columnSum));

    private readonly struct ColumnStep(float* logits, int rows, int stride, float* columnMax, float* columnSum) : IColumnStep<TVec>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
        {
            TVec oldMax = lanes.Load(columnMax + column), max = oldMax;
            for (int r = 0; r < rows; r++) max = TSimd.Max(max, lanes.Load(logits + (long)r * stride + column));
            TVec sum = TSimd.Multiply(lanes.Load(columnSum + column), TSimd.ExpNonPositive(TSimd.Subtract(oldMax, max)));
            for (int r = 0; r < rows; r++)
                sum = TSimd.Add(sum, TSimd.ExpNonPositive(TSimd.Subtract(lanes.Load(logits + (long)r * stride + column), max)));
            lanes.Store(columnMax + column, max);
            lanes.Store(columnSum + column, sum);
        }
    }

    /// <summary>Merges the threads' column statistics into the first thread's, and turns them into log-sum-exps there.</summary>
    private static void MergeColumns(ref Job job)
    {
        int n = job.N;
        for (int p = 1; p < job.Parts; p++)
        {
            float* max = job.ColumnMax + (long)p * n, sum = job.ColumnSum + (long)p * n;
            for (int j = 0; j < n; j++)
            {
                float merged = MathF.Max(job.ColumnMax[j], max[j]);
                job.ColumnSum[j] = job.ColumnSum[j] * MathF.Exp(job.ColumnMax[j] - merged) + sum[j] * MathF.Exp(max[j] - merged);
                job.ColumnMax[j] = merged;
            }
        }
        for (int j = 0; j < n; j++) job.ColumnMax[j] += MathF.Log(job.ColumnSum[j]);
    }

    /// <summary>The second sweep for one thread's blocks: G in place of the logits, then dI's rows and the thread's dT.</summary>
    private static void Backward(void* state, int part)
    {
        ref Job job = ref Unsafe.AsRef<Job>(state);
        int n = job.N, m = job.M, d = job.D;
        float* logits = job.Logits + (long)part * BlockRows * m;
        float* textGrad = part == 0 ? job.TextGrad : job.TextGradParts + (long)(part - 1) * m * d;
        new Span<float>(textGrad, m * d).Clear();
        float half = 0.5f / n, inverse = 1f / n;
        double logitGradSum = 0;
        for (int block = part; block < job.Blocks; block += job.Parts)
        {
            int first = block * BlockRows, rows = Math.Min(BlockRows, n - first);
            float* image = job.Image + (long)first * d;
            SgemmKernel.MultiplyPacked(false, rows, job.Scale, image, d, job.TextTransposed!, 0f, logits, m, threads: 1);
            for (int r = 0; r < rows; r++)
            {
                float* row = logits + (long)r * m;
                float diagonal = row[first + r];
                logitGradSum += LogitGradients(row, n, job.RowLse[first + r], job.ColumnMax, half)
                    + LogitGradients(row + n, m - n, job.RowLse[first + r], null, half);
                row[first + r] -= inverse;
                logitGradSum -= inverse * (double)diagonal;
            }
            SgemmKernel.MultiplyPacked(false, rows, job.Scale, logits, m, job.TextRows!, 0f, job.ImageGrad + (long)first * d, d, threads: 1);
            Multiply(transposeA: true, m, d, rows, job.Scale, logits, m, image, d, 1f, textGrad, d);
        }
        job.LogitGradSums[part] = logitGradSum;
    }

    /// <summary>
    /// Overwrites n logits x of a row with (e^(x − rowLse) + e^(x − columnLse)) · half (G without the diagonal's −1/N),
    /// or, for hard-negative columns (<paramref name="columnLse"/> null), with e^(x − rowLse) · half, and returns Σ G·x
    /// over them.
    /// </summary>
    private static float LogitGradients(float* x, int n, float rowLse, float* columnLse, float half)
    {
        int w = TSimd.Count;
        TVec rowShift = TSimd.Create(rowLse), scale = TSimd.Create(half), total = TSimd.Zero;
        int c = 0;
        for (; c <= n - w; c += w)
        {
            TVec logit = TSimd.Load(x + c);
            TVec g = Gradient(logit, rowShift, columnLse, c, w, scale);
            TSimd.Store(x + c, g);
            total = TSimd.MultiplyAdd(g, logit, total);
        }
        if (c < n)
        {
            int lanes = n - c;
            TVec logit = TSimd.LoadFirst(x + c, lanes);
            TVec g = Gradient(logit, rowShift, columnLse, c, lanes, scale);
            TSimd.StoreFirst(x + c, lanes, g);
            total = TSimd.MultiplyAdd(TSimd.Select(TSimd.Mask(lanes), g, TSimd.Zero), logit, total);
        }
        return TSimd.Sum(total);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Gradient(TVec logit, TVec rowLse, float* columnLse, int column, int lanes, TVec half)
    {
        TVec softmaxes = TSimd.ExpNonPositive(TSimd.Subtract(logit, rowLse));
        if (columnLse != null)
        {
            TVec shift = lanes == TSimd.Count ? TSimd.Load(columnLse + column) : TSimd.LoadFirst(columnLse + column, lanes);
            softmaxes = TSimd.Add(softmaxes, TSimd.ExpNonPositive(TSimd.Subtract(logit, shift)));
        }
        return TSimd.Multiply(softmaxes, half);
    }

    /// <summary>This width's GEMM on one thread.</summary>
    private static void Multiply(bool transposeA, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb,
        float beta, float* c, int ldc)
    {
        var shape = GemmShape.Checked(transposeA, false, m, n, k, a, lda, b, ldb, c, ldc, threads: 1);
        GemmDriver<TSimd, TVec>.Multiply(shape, alpha, a, b, beta, c, threads: 1, epilogue: default);
    }

    /// <summary>One call's operands, scratch and results, handed to the threads by pointer (it lives on the caller's stack).</summary>
    private struct Job
    {
        public float* Image, Text, ImageGrad, TextGrad, TextGradParts;
        /// <summary>N pairs, M = N + H text rows, d.</summary>
        public int N, M, D, Parts, Blocks;
        public float Scale;
        /// <summary>Tᵀ packed for the logits I·Tᵀ, and T packed for dI = G·T.</summary>
        public PackedB? TextTransposed, TextRows;

        /// <summary>One block of logits per thread, [BlockRows, M].</summary>
        public float* Logits;

        public float* RowLse, Diagonal;

        /// <summary>Per thread, each column's running maximum and sum; after the merge, the first N hold the column log-sum-exps.</summary>
        public float* ColumnMax, ColumnSum;

        /// <summary>Per thread, Σ G∘L over its blocks.</summary>
        public double* LogitGradSums;
    }
}
