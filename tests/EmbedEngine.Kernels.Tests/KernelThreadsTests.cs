using EmbedEngine.Kernels.Threading;

namespace EmbedEngine.Kernels.Tests;

/// <summary><see cref="KernelThreads"/>: every row exactly once, in blocks sized by the work, and a part's exception reaches the caller.</summary>
public unsafe class KernelThreadsTests
{
    [Theory]
    [InlineData(2, 1000, 1000L)]
    [InlineData(2, 7, 100_000L)]
    [InlineData(0, 513, 64L)]
    [InlineData(1, 1000, 1000L)]
    public void Rows_are_each_run_exactly_once(int threads, int rows, long floatsPerRow)
    {
        var visits = new int[rows];
        fixed (int* counts = visits) KernelThreads.ForRows(threads, rows, floatsPerRow, &CountRows, counts);
        Assert.All(visits, v => Assert.Equal(1, v));
    }

    [Fact]
    public void Work_below_the_minimum_runs_as_one_block_on_the_calling_thread()
    {
        var block = new int[3];
        fixed (int* record = block) KernelThreads.ForRows(2, 4, KernelThreads.MinimumParallelFloats / 8, &RecordBlock, record);
        Assert.Equal([0, 4, Environment.CurrentManagedThreadId], block);
    }

    [Fact]
    public void Two_threads_split_large_work_into_two_blocks()
    {
        if (Environment.ProcessorCount < 2) return;
        var starts = new int[2];
        fixed (int* record = starts) KernelThreads.ForRows(2, 100, KernelThreads.MinimumParallelFloats, &RecordStart, record);
        Assert.Equal([1, 1], starts);
    }

    [Fact]
    public void An_exception_in_a_worker_part_is_rethrown_to_the_caller()
    {
        if (Environment.ProcessorCount < 2) return;
        var error = Assert.Throws<InvalidOperationException>(() => KernelThreads.Run(2, &ThrowInPartOne, null));
        Assert.Equal("part 1", error.Message);
        var visits = new int[50];
        fixed (int* counts = visits) KernelThreads.ForRows(2, 50, KernelThreads.MinimumParallelFloats, &CountRows, counts);
        Assert.All(visits, v => Assert.Equal(1, v));
    }

    private static void CountRows(void* state, int first, int count)
    {
        for (int r = first; r < first + count; r++) Interlocked.Increment(ref ((int*)state)[r]);
    }

    private static void RecordBlock(void* state, int first, int count)
    {
        int* record = (int*)state;
        record[0] = first;
        record[1] = count;
        record[2] = Environment.CurrentManagedThreadId;
    }

    /// <summary>Counts blocks by where they start: the first half or the second.</summary>
    private static void RecordStart(void* state, int first, int count) => Interlocked.Increment(ref ((int*)state)[first < 50 ? 0 : 1]);

    private static void ThrowInPartOne(void* state, int part)
    {
        if (part == 1) throw new InvalidOperationException("part 1");
    }
}
