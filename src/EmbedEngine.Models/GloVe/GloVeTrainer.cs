using EmbedEngine.Kernels;
using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Models.Training;
using EmbedEngine.Text;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.GloVe;

/// <summary>
/// Trains GloVe (Pennington et al. 2014) on a co-occurrence matrix, as Stanford GloVe's glove.c does: weighted
/// least squares on log counts, AdaGrad per weight, lock-free worker threads over a shuffled entry order.
/// </summary>
public static class GloVeTrainer
{
    /// <summary>Workers publish their progress and look for cancellation after this many entries.</summary>
    private const int PublishStep = 10_000;

    /// <summary>Trains vectors for <paramref name="vocabulary"/> from <paramref name="counts"/>.</summary>
    /// <param name="counts">The co-occurrence matrix; one row and column per vocabulary word.</param>
    /// <param name="vocabulary">The vocabulary the matrix was counted with; its words key the result.</param>
    /// <param name="options">Training options; validated first.</param>
    /// <param name="onProgress">Called from the calling thread about every <paramref name="progressInterval"/> and once at the end.
    /// Its words are co-occurrence entries (nonzeros × epochs in all) and its loss the mean weighted cost per entry since the previous call.</param>
    /// <param name="progressInterval">Time between progress calls.</param>
    /// <param name="cancellation">Stops training early; then an <see cref="OperationCanceledException"/> is thrown.</param>
    /// <exception cref="ArgumentException">Bad options, a vocabulary that does not fit the matrix, or an empty matrix.</exception>
    /// <exception cref="InvalidOperationException">Training diverged (a cost came out NaN or infinite).</exception>
    public static GloVeResult Train(CsrMatrix counts, Vocabulary vocabulary, GloVeOptions options,
        Action<TrainingProgress>? onProgress = null, TimeSpan? progressInterval = null, CancellationToken cancellation = default)
        => Train(counts, vocabulary, options, device: null, onProgress, progressInterval, cancellation);

    /// <summary>
    /// Trains on <paramref name="device"/> (null: the CPU threads). On a GPU the weights stay on the device from the
    /// same starting values to the end; the entries are shuffled on the CPU as for one thread and streamed to it in
    /// batches (<see cref="GloVeGpuWorker"/>). The co-occurrence counting before stays on the CPU.
    /// </summary>
    public static GloVeResult Train(CsrMatrix counts, Vocabulary vocabulary, GloVeOptions options, GpuDevice? device,
        Action<TrainingProgress>? onProgress = null, TimeSpan? progressInterval = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(vocabulary);
        options.Validate();
        CooccurrenceInput.EnsureFits(counts, vocabulary);
        GloVeEntry[] entries = GloVeEntries.From(counts);
        if (entries.Length == 0) throw new ArgumentException("the co-occurrence matrix has no positive entries to train on");

        var weights = new GloVeWeights(vocabulary.Count, options.Dimension, options.Seed);
        try
        {
            TimeSpan interval = progressInterval ?? TimeSpan.FromSeconds(1);
            TrainingProgress final;
            if (device == null)
            {
                final = new Run(entries, options, options.Threads).Execute(seed => new GloVeWorker(options, weights, seed),
                    onProgress, interval, cancellation);
            }
            else
            {
                using var submissions = new GpuSubmissions(device);
                using var deviceWeights = new GloVeDeviceWeights(device, weights);
                final = new Run(entries, options, threads: 1).Execute(
                    seed => new GloVeGpuWorker(options, submissions, deviceWeights.Parameters, seed), onProgress, interval, cancellation);
                deviceWeights.CopyVectorsTo(device, weights);
            }
            var vectors = new KeyedVectors(vocabulary.Words, weights.Detach(options.Output));
            return new GloVeResult(vectors, final);
        }
        catch
        {
            weights.Dispose();
            throw;
        }
    }

    /// <summary>The shared state of one training run.</summary>
    private sealed class Run(GloVeEntry[] entries, GloVeOptions options, int threads)
    {
        private readonly long _totalEntries = (long)entries.Length * options.Epochs;
        private readonly int _threadCount = Math.Min(threads, entries.Length);
        private readonly HogwildRun<IGloVeWorker> _threads = new(Math.Min(threads, entries.Length));
        private long _entriesProcessed;
        private volatile int _epoch;

        /// <summary>Runs a worker from <paramref name="createWorker"/>(seed) per thread to the end; returns the final progress.</summary>
        public TrainingProgress Execute(Func<ulong, IGloVeWorker> createWorker, Action<TrainingProgress>? onProgress,
            TimeSpan interval, CancellationToken cancellation)
        {
            // One shuffle of every entry, as glove.c's shuffle tool does before training.
            new FastRandom(options.Seed ^ 0x5DEECE66DUL).Shuffle(entries.AsSpan());
            return _threads.Execute("glove",
                shard => createWorker(options.Seed + (ulong)(shard + 1) * 0x9E3779B9UL),
                (worker, shard, stop) =>
                {
                    int from = (int)((long)entries.Length * shard / _threadCount), to = (int)((long)entries.Length * (shard + 1) / _threadCount);
                    Work(worker, entries.AsMemory(from, to - from), stop);
                }, Snapshot, onProgress, interval, cancellation);
        }

        /// <summary>
        /// One worker's share: a fixed, disjoint slice of the shuffled entries (glove.c's threads each take a
        /// contiguous part of the shuffled file), reshuffled within itself at the start of every epoch.
        /// </summary>
        private void Work(IGloVeWorker worker, Memory<GloVeEntry> slice, CancellationToken stop)
        {
            for (int epoch = 0; epoch < options.Epochs && !stop.IsCancellationRequested; epoch++)
            {
                if (epoch > _epoch) _epoch = epoch;
                worker.Shuffle(slice.Span);
                for (int start = 0; start < slice.Length && !stop.IsCancellationRequested; start += PublishStep)
                {
                    int length = Math.Min(PublishStep, slice.Length - start);
                    worker.Train(slice.Span.Slice(start, length));
                    Interlocked.Add(ref _entriesProcessed, length);
                }
            }
            worker.Finish();
        }

        private TrainingProgress Snapshot() => new(Interlocked.Read(ref _entriesProcessed), _totalEntries, _epoch + 1,
            options.LearningRate, _threads.RecentLoss(), _threads.Elapsed);
    }
}
