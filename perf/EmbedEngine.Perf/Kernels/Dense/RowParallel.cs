using System.Runtime.InteropServices;
using EmbedEngine.Kernels.Threading;

namespace EmbedEngine.Perf.Kernels.Dense;

/// <summary>
/// Splits a row-wise kernel call over threads by blocks of rows, on the kernels' own worker threads
/// (<see cref="KernelThreads"/>), as a tensor layer calling the single-threaded kernels would. Work below
/// <see cref="MinimumParallelFloats"/> runs on the calling thread: handing it over costs more than it saves.
/// </summary>
internal static unsafe class RowParallel
{
    /// <summary>8 Ki floats (32 KiB): about 3 µs of a fast row kernel, several hand-overs to a spinning worker.</summary>
    public const long MinimumParallelFloats = 8 * 1024;

    /// <summary>Runs <paramref name="body"/>(firstRow, rowCount) over [0, rows) on up to <paramref name="threads"/> threads.</summary>
    public static void For(int threads, int rows, int columns, Action<int, int> body)
    {
        if (threads <= 1 || (long)rows * columns < MinimumParallelFloats)
        {
            body(0, rows);
            return;
        }
        GCHandle handle = GCHandle.Alloc(body);
        try
        {
            var job = new Job { Body = GCHandle.ToIntPtr(handle), Rows = rows, PerPart = (rows + threads - 1) / threads };
            KernelThreads.Run(Math.Min(threads, rows), &RunPart, &job);
        }
        finally
        {
            handle.Free();
        }
    }

    private static void RunPart(void* state, int part)
    {
        ref readonly Job job = ref *(Job*)state;
        int first = part * job.PerPart;
        if (first < job.Rows) ((Action<int, int>)GCHandle.FromIntPtr(job.Body).Target!)(first, Math.Min(job.PerPart, job.Rows - first));
    }

    private struct Job
    {
        public nint Body;
        public int Rows, PerPart;
    }
}
