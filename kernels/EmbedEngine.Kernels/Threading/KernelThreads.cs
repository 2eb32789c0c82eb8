using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;

namespace EmbedEngine.Kernels.Threading;

/// <summary>
/// Dedicated threads that run the parts of one kernel call (a product's stripes, a block of rows), so a stream of
/// calls, a training step's, allocates nothing: Parallel.For allocates its options, closure and tasks on every call.
/// A worker that finishes spins for <see cref="SpinMicroseconds"/> before it sleeps, so the next call of a step
/// reaches it in well under a microsecond instead of the tens a sleeping thread takes to wake on a VM. One call
/// uses the workers at a time; a call started on another thread meanwhile runs its parts on its own thread.
/// </summary>
public static unsafe class KernelThreads
{
    /// <summary>How long an idle worker keeps spinning: the gaps between the kernel calls of a step, not the pauses between steps.</summary>
    public const int SpinMicroseconds = 200;

    private static readonly long s_spinTicks = Stopwatch.Frequency * SpinMicroseconds / 1_000_000;
    private static readonly Lock s_gate = new();
    /// <summary>Parts handed to workers and not yet finished.</summary>
    private static int s_pending;
    private static readonly List<Worker> s_workers = [];
    private static ExceptionDispatchInfo? s_failure;

    /// <summary>
    /// Calls <paramref name="body"/>(state, part) for every part in [0, <paramref name="parts"/>), part 0 on the
    /// calling thread, and returns when all are done. <paramref name="state"/> must stay valid until then (the
    /// caller's stack is). An exception from any part is rethrown here.
    /// </summary>
    public static void Run(int parts, delegate*<void*, int, void> body, void* state)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (parts > 1 && s_gate.TryEnter())
        {
            try
            {
                RunOnWorkers(parts, body, state);
            }
            finally
            {
                s_gate.Exit();
            }
            return;
        }
        for (int part = 0; part < parts; part++) body(state, part);
    }

    /// <summary>
    /// Calls <paramref name="body"/>(state, firstRow, rowCount) over rows [0, <paramref name="rows"/>) split into
    /// equal blocks, one per thread, on up to <paramref name="threads"/> threads (0: one per core) and at least
    /// <see cref="MinimumParallelFloats"/> of work per block (<paramref name="floatsPerRow"/> per row): smaller calls
    /// run whole on the calling thread. Row kernels are split this way without changing any row's result.
    /// </summary>
    public static void ForRows(int threads, int rows, long floatsPerRow, delegate*<void*, int, int, void> body, void* state)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        int cores = threads == 0 ? Environment.ProcessorCount : Math.Min(threads, Environment.ProcessorCount);
        long worthwhile = Math.Max(1, rows * Math.Max(floatsPerRow, 1) / MinimumParallelFloats);
        int parts = (int)Math.Min(Math.Min(cores, rows), worthwhile);
        if (parts <= 1)
        {
            body(state, 0, rows);
            return;
        }
        var job = new RowJob { Body = body, State = state, Rows = rows, RowsPerPart = (rows + parts - 1) / parts };
        Run(parts, &RunRows, &job);
    }

    /// <summary>8 Ki floats (32 KiB), about 3 µs of a fast row kernel: less work per thread costs more to hand over than it saves.</summary>
    public const long MinimumParallelFloats = 8 * 1024;

    private static void RunRows(void* state, int part)
    {
        ref readonly RowJob job = ref *(RowJob*)state;
        int first = part * job.RowsPerPart;
        if (first < job.Rows) job.Body(job.State, first, Math.Min(job.RowsPerPart, job.Rows - first));
    }

    private struct RowJob
    {
        public delegate*<void*, int, int, void> Body;
        public void* State;
        public int Rows, RowsPerPart;
    }

    private static void RunOnWorkers(int parts, delegate*<void*, int, void> body, void* state)
    {
        while (s_workers.Count < parts - 1) s_workers.Add(new Worker(s_workers.Count + 1));
        s_failure = null;
        Volatile.Write(ref s_pending, parts - 1);
        for (int w = 0; w < parts - 1; w++) s_workers[w].Start(body, state, w + 1);
        try
        {
            body(state, 0);
        }
        finally
        {
            // The caller's part takes as long as the others, so the wait is short: spin and yield, never sleep (a
            // 1 ms sleep is the whole of a 512² product). A CountdownEvent would allocate its lock the first time it
            // had to block, in the middle of a steady stream of calls.
            var spin = new SpinWait();
            while (Volatile.Read(ref s_pending) != 0) spin.SpinOnce(sleep1Threshold: -1);
        }
        s_failure?.Throw();
    }

    /// <summary>One background thread that runs a part whenever it is handed one.</summary>
    [SuppressMessage("Design", "CA1001", Justification = "A worker and its event live as long as the process.")]
    private sealed class Worker
    {
        private readonly ManualResetEventSlim _go = new(false);
        private delegate*<void*, int, void> _body;
        private void* _state;
        private int _part;

        public Worker(int index) =>
            new Thread(Loop) { IsBackground = true, Name = $"EmbedEngine kernel worker {index}" }.Start();

        public void Start(delegate*<void*, int, void> body, void* state, int part)
        {
            _body = body;
            _state = state;
            _part = part;
            _go.Set();
        }

        private void Loop()
        {
            while (true)
            {
                WaitForPart();
                _go.Reset();
                try
                {
                    _body(_state, _part);
                }
                catch (Exception e)
                {
                    // Kept for the caller, which rethrows it; a throw here would end the process.
                    s_failure = ExceptionDispatchInfo.Capture(e);
                }
                finally
                {
                    Interlocked.Decrement(ref s_pending);
                }
            }
        }

        /// <summary>Spins while the next part is likely to come soon, then sleeps on the event.</summary>
        private void WaitForPart()
        {
            long until = Stopwatch.GetTimestamp() + s_spinTicks;
            while (!_go.IsSet && Stopwatch.GetTimestamp() < until) Thread.SpinWait(20);
            _go.Wait();
        }
    }
}
