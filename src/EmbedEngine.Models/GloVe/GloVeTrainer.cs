using EmbedEngine.Kernels;
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
            var run = new Run(entries, options, weights);
            TrainingProgress final = run.Execute(onProgress, progressInterval ?? TimeSpan.FromSeconds(1), cancellation);
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
    private sealed class Run(GloVeEntry[] entries, GloVeOptions options, GloVeWeights weights)
    {
        private readonly long _totalEntries = (long)entries.Length * options.Epochs;
        private readonly HogwildRun<GloVeWorker> _threads = new(Math.Min(options.Threads, entries.Length));
        private long _entriesProcessed;
        private volatile int _epoch;

        public TrainingProgress Execute(Action<TrainingProgress>? onProgress, TimeSpan interval, CancellationToken cancellation)
        {
            int threadCount = Math.Min(options.Threads, entries.Length);
            // One shuffle of every entry, as glove.c's shuffle tool does before training.
            new FastRandom(options.Seed ^ 0x5DEECE66DUL).Shuffle(entries.AsSpan());
            return _threads.Execute("glove",
                shard => new GloVeWorker(options, weights, options.Seed + (ulong)(shard + 1) * 0x9E3779B9UL),
                (worker, shard, stop) =>
                {
                    int from = (int)((long)entries.Length * shard / threadCount), to = (int)((long)entries.Length * (shard + 1) / threadCount);
                    Work(worker, entries.AsMemory(from, to - from), stop);
                }, Snapshot, onProgress, interval, cancellation);
        }

        /// <summary>
        /// One worker's share: a fixed, disjoint slice of the shuffled entries (glove.c's threads each take a
        /// contiguous part of the shuffled file), reshuffled within itself at the start of every epoch.
        /// </summary>
        private void Work(GloVeWorker worker, Memory<GloVeEntry> slice, CancellationToken stop)
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
        }

        private TrainingProgress Snapshot() => new(Interlocked.Read(ref _entriesProcessed), _totalEntries, _epoch + 1,
            options.LearningRate, _threads.RecentLoss(), _threads.Elapsed);
    }
}
