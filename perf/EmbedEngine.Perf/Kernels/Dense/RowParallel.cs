using System.Runtime.InteropServices;
using EmbedEngine.Kernels.Threading;

namespace EmbedEngine.Perf.Kernels.Dense;

/// <summary>
/// Splits a row-wise kernel call over threads by blocks of rows with <see cref="KernelThreads.ForRows"/>, as the
/// tensor layer splits its row-wise operations; small calls stay on the calling thread.
/// </summary>
internal static unsafe class RowParallel
{
    /// <summary>Runs <paramref name="body"/>(firstRow, rowCount) over [0, rows) on up to <paramref name="threads"/> threads.</summary>
    public static void For(int threads, int rows, int columns, Action<int, int> body)
    {
        GCHandle handle = GCHandle.Alloc(body);
        try
        {
            KernelThreads.ForRows(threads, rows, columns, &RunBlock, (void*)GCHandle.ToIntPtr(handle));
        }
        finally
        {
            handle.Free();
        }
    }

    private static void RunBlock(void* body, int first, int count) =>
        ((Action<int, int>)GCHandle.FromIntPtr((nint)body).Target!)(first, count);
}
