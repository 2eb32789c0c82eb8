using EmbedEngine.Kernels.Threading;

namespace EmbedEngine.Tensors;

/// <summary>
/// The element-wise and row-wise kernels of the operations, split over <see cref="TensorSettings.Threads"/> by
/// blocks (<see cref="KernelThreads.ForRows"/>): whole rows for row kernels, whole cache lines for element-wise
/// ones. Every element is computed as on one thread, so results do not depend on the thread count.
/// </summary>
internal static unsafe class ParallelKernels
{
    /// <summary>Floats per block of an element-wise kernel: a 256-byte multiple, so blocks start aligned.</summary>
    private const int Chunk = 64;

    /// <summary>y = f(x) over <paramref name="count"/> floats.</summary>
    public static void Map(delegate*<ReadOnlySpan<float>, Span<float>, void> kernel, float* x, float* y, int count)
    {
        var job = new Job { Map = kernel, X = x, Y = y, Count = count };
        KernelThreads.ForRows(TensorSettings.Threads, (count + Chunk - 1) / Chunk, Chunk, &MapBlock, &job);
    }

    /// <summary>y = f(x) row by row, <paramref name="columns"/> floats per row.</summary>
    public static void MapRows(delegate*<ReadOnlySpan<float>, Span<float>, int, void> kernel, float* x, float* y, int rows, int columns)
    {
        var job = new Job { MapRows = kernel, X = x, Y = y, Columns = columns };
        KernelThreads.ForRows(TensorSettings.Threads, rows, columns, &MapRowsBlock, &job);
    }

    /// <summary>dx = f(saved, dy) over <paramref name="count"/> floats.</summary>
    public static void Backward(delegate*<ReadOnlySpan<float>, ReadOnlySpan<float>, Span<float>, void> kernel, float* saved, float* dy,
        float* dx, int count)
    {
        var job = new Job { Backward = kernel, X = saved, Dy = dy, Y = dx, Count = count };
        KernelThreads.ForRows(TensorSettings.Threads, (count + Chunk - 1) / Chunk, Chunk, &BackwardBlock, &job);
    }

    /// <summary>dx = f(saved, dy) row by row, <paramref name="columns"/> floats per row.</summary>
    public static void BackwardRows(delegate*<ReadOnlySpan<float>, ReadOnlySpan<float>, Span<float>, int, void> kernel, float* saved,
        float* dy, float* dx, int rows, int columns)
    {
        var job = new Job { BackwardRows = kernel, X = saved, Dy = dy, Y = dx, Columns = columns };
        KernelThreads.ForRows(TensorSettings.Threads, rows, columns, &BackwardRowsBlock, &job);
    }

    private static void MapBlock(void* state, int first, int count)
    {
        ref readonly Job job = ref *(Job*)state;
        var (start, length) = Floats(job.Count, first, count);
        job.Map(new ReadOnlySpan<float>(job.X + start, length), new Span<float>(job.Y + start, length));
    }

    private static void MapRowsBlock(void* state, int first, int count)
    {
        ref readonly Job job = ref *(Job*)state;
        nint start = (nint)first * job.Columns;
        int length = count * job.Columns;
        job.MapRows(new ReadOnlySpan<float>(job.X + start, length), new Span<float>(job.Y + start, length), job.Columns);
    }

    private static void BackwardBlock(void* state, int first, int count)
    {
        ref readonly Job job = ref *(Job*)state;
        var (start, length) = Floats(job.Count, first, count);
        job.Backward(new ReadOnlySpan<float>(job.X + start, length), new ReadOnlySpan<float>(job.Dy + start, length),
            new Span<float>(job.Y + start, length));
    }

    private static void BackwardRowsBlock(void* state, int first, int count)
    {
        ref readonly Job job = ref *(Job*)state;
        nint start = (nint)first * job.Columns;
        int length = count * job.Columns;
        job.BackwardRows(new ReadOnlySpan<float>(job.X + start, length), new ReadOnlySpan<float>(job.Dy + start, length),
            new Span<float>(job.Y + start, length), job.Columns);
    }

    /// <summary>The floats of chunks [first, first + count), the last chunk clipped to the tensor.</summary>
    private static (nint Start, int Length) Floats(int total, int first, int count)
    {
        int start = first * Chunk;
        return (start, Math.Min(count * Chunk, total - start));
    }

    /// <summary>One call's kernel and buffers, handed to the threads by pointer.</summary>
    private struct Job
    {
        public delegate*<ReadOnlySpan<float>, Span<float>, void> Map;
        public delegate*<ReadOnlySpan<float>, Span<float>, int, void> MapRows;
        public delegate*<ReadOnlySpan<float>, ReadOnlySpan<float>, Span<float>, void> Backward;
        public delegate*<ReadOnlySpan<float>, ReadOnlySpan<float>, Span<float>, int, void> BackwardRows;
        public float* X, Dy, Y;
        public int Count, Columns;
    }
}
