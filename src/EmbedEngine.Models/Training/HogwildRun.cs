using System.Diagnostics;

namespace EmbedEngine.Models.Training;

/// <summary>
/// The bookkeeping of one Hogwild training run around <see cref="HogwildThreads"/>: the workers as their threads
/// create them, the clock, the recent mean loss over all workers, and a progress call on every tick and at the end.
/// </summary>
internal sealed class HogwildRun<TWorker>(int threadCount) where TWorker : class, ILossCounter
{
    private readonly TWorker?[] _workers = new TWorker?[threadCount];
    private readonly Stopwatch _clock = new();
    private RecentAverage _recentLoss = new();

    /// <summary>Time since <see cref="Execute"/> started.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>
    /// Runs <paramref name="work"/>(worker, shard, stop) on every thread, with a worker from
    /// <paramref name="createWorker"/>(shard) built on that thread; returns the final <paramref name="snapshot"/>.
    /// </summary>
    public TrainingProgress Execute(string name, Func<int, TWorker> createWorker, Action<TWorker, int, CancellationToken> work,
        Func<TrainingProgress> snapshot, Action<TrainingProgress>? onProgress, TimeSpan interval, CancellationToken cancellation)
    {
        _clock.Start();
        HogwildThreads.Run(_workers.Length, name, (shard, stop) =>
        {
            TWorker worker = createWorker(shard);
            Volatile.Write(ref _workers[shard], worker);
            work(worker, shard, stop);
        }, onProgress == null ? null : () => onProgress(snapshot()), interval, cancellation);
        _clock.Stop();
        TrainingProgress final = snapshot();
        onProgress?.Invoke(final);
        return final;
    }

    /// <summary>The mean loss per prediction over all workers since the previous reading.</summary>
    public double RecentLoss()
    {
        // Workers own their totals; a sum read one step apart from its count only blurs one progress line.
        double loss = 0;
        long predictions = 0;
        foreach (TWorker? worker in _workers)
        {
            if (worker == null) continue;
            loss += worker.LossSum;
            predictions += worker.Predictions;
        }
        return _recentLoss.Read(loss, predictions);
    }
}
