using System.Runtime.InteropServices;
using EmbedEngine.Models.Training;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.IO;

namespace EmbedEngine.Models.GloVe;

/// <summary>
/// The shared state of one GloVe training run: the shuffled entries, each worker's slice of them and where it stands
/// (epoch, next entry, random state), the entries trained, and the checkpoints of all that. In an <c>mpirun</c> job
/// (<paramref name="ranks"/>) every rank shuffles alike and trains its own part of the order with its threads, and the
/// ranks sum their changes to the weights every <c>--sync-entries</c>.
/// </summary>
internal sealed class GloVeRun(GloVeEntry[] entries, GloVeOptions options, int threads, RowDeltaSync? ranks = null) : IDisposable
{
    /// <summary>Workers publish their progress and look for cancellation (and checkpoints) after this many entries.</summary>
    private const int PublishStep = 10_000;

    private readonly long _totalEntries = (long)entries.Length * options.Epochs;
    private readonly int _rankFirst = (int)((long)entries.Length * (ranks?.Rank ?? 0) / (ranks?.Size ?? 1));
    private readonly int _rankEnd = (int)((long)entries.Length * ((ranks?.Rank ?? 0) + 1) / (ranks?.Size ?? 1));
    private readonly int _threadCount = Math.Min(threads, entries.Length);
    private readonly HogwildRun<IGloVeWorker> _threads = new(Math.Min(threads, entries.Length));
    private readonly IGloVeWorker?[] _workers = new IGloVeWorker?[Math.Min(threads, entries.Length)];
    private readonly (int Epoch, int Start)[] _positions = new (int, int)[Math.Min(threads, entries.Length)];
    private long _entriesProcessed;
    private long _resumedEntries;
    private volatile int _epoch;
    private WorkerPause? _pause;

    /// <summary>Runs a worker from <paramref name="createWorker"/>(seed) per thread to the end; returns the final progress.</summary>
    /// <param name="createWorker">Builds a worker from its seed (a resumed run's: its saved random state).</param>
    /// <param name="onProgress">Called from the calling thread about every <paramref name="interval"/> and once at the end.</param>
    /// <param name="interval">Time between progress calls.</param>
    /// <param name="cancellation">Stops training early.</param>
    /// <param name="checkpoint">Writes checkpoints (steps are entries) and resumes from one; its workers must be <see cref="IResumableWorker"/>s.</param>
    public TrainingProgress Execute(Func<ulong, IGloVeWorker> createWorker, Action<TrainingProgress>? onProgress,
        TimeSpan interval, CancellationToken cancellation, WeightsCheckpoint? checkpoint = null)
    {
        var seeds = new ulong[_threadCount];
        for (int shard = 0; shard < seeds.Length; shard++) seeds[shard] = options.Seed + (ulong)(shard + 1) * 0x9E3779B9UL;
        using (SafetensorsContents? saved = checkpoint?.Restore())
        {
            // One shuffle of every entry, as glove.c's shuffle tool does before training; a resumed run takes the order saved.
            if (saved == null) new FastRandom(options.Seed ^ 0x5DEECE66DUL).Shuffle(entries.AsSpan());
            else Restore(saved, seeds);
        }
        if (checkpoint != null && ranks != null)
            throw new ArgumentException("Checkpoints of a distributed run are not written yet: drop --checkpoint and --resume, or --distributed.");
        if (checkpoint != null) _pause = new WorkerPause(_threadCount, checkpoint.Settings, _entriesProcessed, () => Save(checkpoint));
        if (ranks == null) return Train(createWorker, seeds, onProgress, interval, cancellation);
        return ranks.TrainBeside(stop => Train(createWorker, seeds, onProgress, interval, stop),
            () => [Interlocked.Read(ref _entriesProcessed)], Snapshot, onProgress, interval, cancellation);
    }

    /// <summary>This process's threads, each on its slice of this rank's part of the entries.</summary>
    private TrainingProgress Train(Func<ulong, IGloVeWorker> createWorker, ulong[] seeds, Action<TrainingProgress>? onProgress,
        TimeSpan interval, CancellationToken cancellation) =>
        _threads.Execute("glove", shard => _workers[shard] = createWorker(seeds[shard]),
            (worker, shard, stop) =>
            {
                int length = _rankEnd - _rankFirst;
                int from = _rankFirst + (int)((long)length * shard / _threadCount), to = _rankFirst + (int)((long)length * (shard + 1) / _threadCount);
                Work(worker, shard, entries.AsMemory(from, to - from), stop);
            }, Snapshot, onProgress, interval, cancellation);

    /// <summary>Frees the checkpoint pause.</summary>
    public void Dispose() => _pause?.Dispose();

    /// <summary>
    /// One worker's share: a fixed, disjoint slice of the shuffled entries (glove.c's threads each take a contiguous
    /// part of the shuffled file), reshuffled within itself at the start of every epoch; it may pause after any chunk.
    /// </summary>
    private void Work(IGloVeWorker worker, int shard, Memory<GloVeEntry> slice, CancellationToken stop)
    {
        ref (int Epoch, int Start) at = ref _positions[shard];
        for (; at.Epoch < options.Epochs && !stop.IsCancellationRequested; at.Epoch++, at.Start = 0)
        {
            if (at.Epoch > _epoch) _epoch = at.Epoch;
            if (at.Start == 0) worker.Shuffle(slice.Span);
            while (at.Start < slice.Length && !stop.IsCancellationRequested)
            {
                int length = Math.Min(PublishStep, slice.Length - at.Start);
                worker.Train(slice.Span.Slice(at.Start, length));
                at.Start += length;
                long processed = Interlocked.Add(ref _entriesProcessed, length);
                _pause?.Offer(processed);
                if (_pause is { Requested: true }) _pause.Wait(stop);
            }
        }
        worker.Finish();
        _pause?.Leave();
    }

    /// <summary>Called while every worker waits: the weights, the entries in their current order and each worker's position.</summary>
    private void Save(WeightsCheckpoint checkpoint)
    {
        var position = new Dictionary<string, string> { ["entries"] = TrainingCheckpoint.Invariant(_entriesProcessed) };
        for (int shard = 0; shard < _positions.Length; shard++)
        {
            position[$"shard.{shard}.epoch"] = TrainingCheckpoint.Invariant(_positions[shard].Epoch);
            position[$"shard.{shard}.start"] = TrainingCheckpoint.Invariant(_positions[shard].Start);
            position[$"shard.{shard}.rng"] = TrainingCheckpoint.GeneratorText(((IResumableWorker)_workers[shard]!).RandomState);
        }
        // Each epoch shuffles a slice in place, from its last order: the order is state. Row, column and count are kept
        // as their bits (the file holds floats), so the round trip is exact.
        using Tensor order = Tensor.FromArray(MemoryMarshal.Cast<GloVeEntry, float>(entries.AsSpan()), entries.Length, 3);
        checkpoint.Save(position, [new("entry_order", order)]);
    }

    private void Restore(SafetensorsContents saved, ulong[] seeds)
    {
        Span<float> order = saved["entry_order"].AsSpan();
        if (order.Length != entries.Length * 3) throw new InvalidDataException($"The checkpoint holds {order.Length / 3} entries; this matrix has {entries.Length}.");
        order.CopyTo(MemoryMarshal.Cast<GloVeEntry, float>(entries.AsSpan()));
        _entriesProcessed = _resumedEntries = TrainingCheckpoint.Number(saved, "entries");
        for (int shard = 0; shard < _positions.Length; shard++)
        {
            _positions[shard] = ((int)TrainingCheckpoint.Number(saved, $"shard.{shard}.epoch"), (int)TrainingCheckpoint.Number(saved, $"shard.{shard}.start"));
            seeds[shard] = TrainingCheckpoint.GeneratorState(saved, $"shard.{shard}.rng");
            _epoch = Math.Max(_epoch, Math.Min(_positions[shard].Epoch, options.Epochs - 1));
        }
    }

    private TrainingProgress Snapshot()
    {
        long entries = Interlocked.Read(ref _entriesProcessed);
        return new(ranks?.Global(0, entries) ?? entries, _totalEntries, _epoch + 1, options.LearningRate, _threads.RecentLoss(), _threads.Elapsed)
        {
            ResumedWords = _resumedEntries,
        };
    }
}
