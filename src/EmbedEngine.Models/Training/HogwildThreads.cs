namespace EmbedEngine.Models.Training;

/// <summary>
/// Runs lock-free (Hogwild) training threads: one per shard, the first failure stops the others and is rethrown
/// on the caller's thread, and the caller's thread reports progress while it waits.
/// </summary>
internal static class HogwildThreads
{
    /// <summary>
    /// Runs <paramref name="work"/>(shard, stop) on <paramref name="threadCount"/> threads and calls
    /// <paramref name="onTick"/> about every <paramref name="interval"/> until all have finished. A worker should
    /// build its own state inside <paramref name="work"/>, so it comes from that thread's allocation context and
    /// shares no cache line with another worker's (false sharing).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was signalled.</exception>
    public static void Run(int threadCount, string name, Action<int, CancellationToken> work, Action? onTick,
        TimeSpan interval, CancellationToken cancellation)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        Exception? failure = null;
        var threads = new Thread[threadCount];
        for (int t = 0; t < threads.Length; t++)
        {
            int shard = t;
            threads[t] = new Thread(() =>
            {
                try
                {
                    work(shard, stop.Token);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                    stop.Cancel();
                }
            })
            { IsBackground = true, Name = $"{name} worker {t}" };
            threads[t].Start();
        }
        foreach (Thread thread in threads)
        {
            while (!thread.Join(interval)) onTick?.Invoke();
        }
        if (failure != null) throw failure;
        cancellation.ThrowIfCancellationRequested();
    }
}
