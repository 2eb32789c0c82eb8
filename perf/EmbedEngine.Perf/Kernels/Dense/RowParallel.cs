namespace EmbedEngine.Perf.Kernels.Dense;

/// <summary>
/// Splits a row-wise kernel call over threads by blocks of rows, as a tensor layer calling the single-threaded
/// kernels would. Work below <see cref="MinimumParallelFloats"/> runs on the calling thread: waking a pool thread costs
/// more than such a call.
/// </summary>
internal static class RowParallel
{
    /// <summary>64 Ki floats (256 KiB): about 20 µs of a fast row kernel, several thread wake-ups.</summary>
    public const long MinimumParallelFloats = 64 * 1024;

    /// <summary>Runs <paramref name="body"/>(firstRow, rowCount) over [0, rows) on up to <paramref name="threads"/> threads.</summary>
    public static void For(int threads, int rows, int columns, Action<int, int> body)
    {
        if (threads <= 1 || (long)rows * columns < MinimumParallelFloats)
        {
            body(0, rows);
            return;
        }
        int per = (rows + threads - 1) / threads;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            int first = t * per;
            if (first < rows) body(first, Math.Min(per, rows - first));
        });
    }
}
