using EmbedEngine.Text;

namespace EmbedEngine.Models.Training;

/// <summary>
/// The run shared by word2vec and fastText: lock-free worker threads, each streaming its own shard of the corpus
/// epoch after epoch, with a learning rate that falls linearly with the words consumed by all of them.
/// </summary>
/// <param name="corpusPath">UTF-8 text, one sentence per line.</param>
/// <param name="vocabulary">Maps the corpus to ids.</param>
/// <param name="schedule">Epochs, threads, sentence length, starting rate and seed.</param>
internal sealed class ShardedTraining(string corpusPath, Vocabulary vocabulary, ShardedSchedule schedule)
{
    /// <summary>Workers publish their word counts in steps of this size, as word2vec.c does.</summary>
    private const int WordCountPublishStep = 10_000;

    /// <summary>The learning rate never falls below this fraction of its start (word2vec.c's floor).</summary>
    private const float MinimumLearningRateFraction = 1e-4f;

    /// <summary>Spreads the workers' seeds apart (the golden ratio in 32 bits).</summary>
    private const ulong SeedSpacing = 0x9E3779B9UL;

    private readonly long _totalWords = vocabulary.TotalWords * schedule.Epochs;
    private readonly HogwildRun<ISentenceWorker> _run = new(schedule.Threads);
    private long _wordsProcessed;
    private volatile float _learningRate = schedule.StartingLearningRate;
    private volatile int _epoch;

    /// <summary>Runs every worker to the end; returns the final progress.</summary>
    /// <param name="createWorker">Builds shard i's worker from its seed, on that worker's own thread.</param>
    /// <param name="onProgress">Called from the calling thread about every <paramref name="interval"/> and once at the end.</param>
    /// <param name="interval">Time between progress calls.</param>
    /// <param name="cancellation">Stops training early; then an <see cref="OperationCanceledException"/> is thrown.</param>
    public TrainingProgress Execute(Func<ulong, ISentenceWorker> createWorker, Action<TrainingProgress>? onProgress,
        TimeSpan interval, CancellationToken cancellation) => _run.Execute(schedule.Name, shard => createWorker(schedule.Seed + (ulong)shard * SeedSpacing), Work,
            Snapshot, onProgress, interval, cancellation);

    /// <summary>
    /// One worker's share: every epoch it streams its own shard of the corpus, as word2vec.c's threads each read
    /// their own part of the file. All parts are then trained at the same point of the learning-rate schedule,
    /// so no stretch of the corpus is left to the tiny rates at the very end of the run.
    /// </summary>
    private void Work(ISentenceWorker worker, int shard, CancellationToken stop)
    {
        var sentence = new int[schedule.MaxSentenceLength];
        long unpublished = 0;
        for (int epoch = 0; epoch < schedule.Epochs && !stop.IsCancellationRequested; epoch++)
        {
            if (epoch > _epoch) _epoch = epoch;
            using var reader = new SentenceReader(corpusPath, vocabulary, schedule.MaxSentenceLength, shard, schedule.Threads);
            int length;
            while (!stop.IsCancellationRequested && (length = reader.Read(sentence, out _)) >= 0)
            {
                if (length == 0) continue;
                worker.TrainSentence(sentence.AsSpan(0, length), _learningRate);
                unpublished += length;
                if (unpublished >= WordCountPublishStep)
                {
                    Publish(unpublished);
                    unpublished = 0;
                }
            }
        }
        Publish(unpublished);
    }

    private void Publish(long words)
    {
        long processed = Interlocked.Add(ref _wordsProcessed, words);
        float start = schedule.StartingLearningRate;
        _learningRate = start * Math.Max(MinimumLearningRateFraction, 1f - processed / (float)(_totalWords + 1));
    }

    private TrainingProgress Snapshot() => new(Interlocked.Read(ref _wordsProcessed), _totalWords, _epoch + 1, _learningRate,
        _run.RecentLoss(), _run.Elapsed);
}

/// <summary>How a <see cref="ShardedTraining"/> run is laid out.</summary>
/// <param name="Name">Names the worker threads.</param>
/// <param name="Epochs">Passes over the corpus.</param>
/// <param name="Threads">Workers, one shard each.</param>
/// <param name="MaxSentenceLength">Longest sentence trained as one unit.</param>
/// <param name="StartingLearningRate">The rate at the start; it falls linearly to nearly zero.</param>
/// <param name="Seed">Worker i's random source starts from this seed plus i times a spacing.</param>
internal sealed record ShardedSchedule(string Name, int Epochs, int Threads, int MaxSentenceLength, float StartingLearningRate, ulong Seed);
