using EmbedEngine.Kernels;
using EmbedEngine.Kernels.Dense;
using EmbedEngine.Kernels.Threading;

namespace EmbedEngine.Tensors;

/// <summary>
/// Layer norm split over <see cref="TensorSettings.Threads"/> by blocks of rows. The forward pass and dx are
/// row-wise; dγ and dβ sum over rows, so the backward pass sums each fixed block of <see cref="RowsPerPartial"/>
/// rows into its own partial and adds the partials in block order: the same bits on any thread count.
/// </summary>
internal static unsafe class ParallelLayerNorm
{
    /// <summary>Rows per partial sum of dγ and dβ: enough that the partials stay a small fraction of the input.</summary>
    public const int RowsPerPartial = 64;

    /// <summary>y, mean and rstd of every row (see <see cref="LayerNormKernel.Forward"/>).</summary>
    public static void Forward(float* x, float* gamma, float* beta, float epsilon, float* y, float* mean, float* rstd, int rows, int columns)
    {
        var job = new Job { X = x, Gamma = gamma, Beta = beta, Epsilon = epsilon, Y = y, Mean = mean, Rstd = rstd, Rows = rows, Columns = columns };
        KernelThreads.ForRows(TensorSettings.Threads, rows, columns, &ForwardBlock, &job);
    }

    /// <summary>
    /// dx of every row, and the blocks' sums of dγ and dβ into <paramref name="partials"/> (2 · columns floats per
    /// block of <see cref="RowsPerPartial"/> rows), which <see cref="AddPartials"/> then adds up.
    /// </summary>
    public static void Backward(float* x, float* gamma, float* mean, float* rstd, float* dy, float* dx, float* partials, int rows, int columns)
    {
        var job = new Job { X = x, Gamma = gamma, Mean = mean, Rstd = rstd, Dy = dy, Dx = dx, Partials = partials, Rows = rows, Columns = columns };
        KernelThreads.ForRows(TensorSettings.Threads, Blocks(rows), (long)RowsPerPartial * columns, &BackwardBlocks, &job);
    }

    /// <summary>Blocks of <see cref="RowsPerPartial"/> rows (the last one shorter).</summary>
    public static int Blocks(int rows) => (rows + RowsPerPartial - 1) / RowsPerPartial;

    /// <summary>dγ += Σ partial dγ and dβ += Σ partial dβ, block after block.</summary>
    public static void AddPartials(float* partials, int blocks, Span<float> dGamma, Span<float> dBeta)
    {
        int columns = dGamma.Length;
        for (int b = 0; b < blocks; b++)
        {
            float* partial = partials + (nint)b * 2 * columns;
            AxpyKernel.Axpy(1f, new ReadOnlySpan<float>(partial, columns), dGamma);
            AxpyKernel.Axpy(1f, new ReadOnlySpan<float>(partial + columns, columns), dBeta);
        }
    }

    private static void ForwardBlock(void* state, int first, int count)
    {
        ref readonly Job job = ref *(Job*)state;
        nint start = (nint)first * job.Columns;
        int length = count * job.Columns;
        LayerNormKernel.Forward(new ReadOnlySpan<float>(job.X + start, length), new ReadOnlySpan<float>(job.Gamma, job.Columns),
            new ReadOnlySpan<float>(job.Beta, job.Columns), job.Epsilon, new Span<float>(job.Y + start, length),
            new Span<float>(job.Mean + first, count), new Span<float>(job.Rstd + first, count));
    }

    private static void BackwardBlocks(void* state, int firstBlock, int blockCount)
    {
        ref readonly Job job = ref *(Job*)state;
        int columns = job.Columns;
        for (int b = firstBlock; b < firstBlock + blockCount; b++)
        {
            int first = b * RowsPerPartial, count = Math.Min(RowsPerPartial, job.Rows - first);
            nint start = (nint)first * columns;
            int length = count * columns;
            var partial = new Span<float>(job.Partials + (nint)b * 2 * columns, 2 * columns);
            partial.Clear();
            LayerNormKernel.Backward(new ReadOnlySpan<float>(job.X + start, length), new ReadOnlySpan<float>(job.Gamma, columns),
                new ReadOnlySpan<float>(job.Mean + first, count), new ReadOnlySpan<float>(job.Rstd + first, count),
                new ReadOnlySpan<float>(job.Dy + start, length), new Span<float>(job.Dx + start, length), partial[..columns], partial[columns..]);
        }
    }

    private struct Job
    {
        public float* X, Gamma, Beta, Y, Mean, Rstd, Dy, Dx, Partials;
        public float Epsilon;
        public int Rows, Columns;
    }
}
