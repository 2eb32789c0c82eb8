using EmbedEngine.Text;

namespace EmbedEngine.Models.Training;

/// <summary>How the learning rate's linear fall measures progress.</summary>
public enum LearningRateDecay
{
    /// <summary>By words trained, as word2vec.c and fastText do.</summary>
    Words,

    /// <summary>
    /// By sentences trained, as gensim does when train() is given total_examples (its usual call): where line lengths
    /// vary, the words of long lines are trained at the rate of few sentences' progress.
    /// </summary>
    Sentences,
}

/// <summary>
/// The run shared by word2vec and fastText: lock-free worker threads, each streaming its own shard of the corpus
/// epoch after epoch, with a learning rate that falls linearly with the words (or sentences) consumed by all of them.
/// </summary>
/// <param name="corpusPath">UTF-8 text, one sentence per line.</param>
/// <param name="vocabulary">Maps the corpus to ids.</param>
/// <param name="schedule">Epochs, threads, sentence length, starting rate and seed.</param>
/// <param name="ranks">
/// In an <c>mpirun</c> job: this rank trains its shards of the corpus (rank r's threads take shards r × threads …),
/// synchronises its rows with the other ranks, and the learning rate counts the words of all ranks. Null: one process.
/// </param>
internal sealed class ShardedTraining(string corpusPath, Vocabulary vocabulary, ShardedSchedule schedule, RowDeltaSync? ranks = null) : IDisposable
{
    /// <summary>Workers publish their word counts in steps of this size, as word2vec.c does.</summary>
    private const int WordCountPublishStep = 10_000;

    /// <summary>The learning rate never falls below this fraction of its start (word2vec.c's floor).</summary>
    private const float MinimumLearningRateFraction = 1e-4f;

    /// <summary>Spreads the workers' seeds apart (the golden ratio in 32 bits).</summary>
    private const ulong SeedSpacing = 0x9E3779B9UL;

    private readonly long _totalWords = vocabulary.TotalWords * schedule.Epochs;

    /// <summary>
    /// Counting sentences, a block owns the lines that start in it, as gensim never splits a line: a cut inside a line
    /// would add a sentence at every block boundary, so the rate would fall faster than counted through long lines
    /// and reach its floor before the end. Counting words, blocks cut anywhere, as word2vec.c's threads do.
    /// </summary>
    private readonly ShardBoundary _boundary = schedule.Decay == LearningRateDecay.Sentences ? ShardBoundary.LineStart : ShardBoundary.AnyToken;
    private readonly long _totalSentences = schedule.Decay == LearningRateDecay.Sentences
        ? CountSentences(corpusPath, vocabulary, schedule.MaxSentenceLength) * schedule.Epochs
        : 0;
    private readonly HogwildRun<ISentenceWorker> _run = new(schedule.Threads);
    private readonly ISentenceWorker?[] _workers = new ISentenceWorker?[schedule.Threads];
    private readonly ShardPosition[] _positions = new ShardPosition[schedule.Threads];
    private readonly int _firstShard = schedule.Threads * (ranks?.Rank ?? 0);
    private readonly int _shardStep = schedule.Threads * (ranks?.Size ?? 1);

    /// <summary>Blocks of one epoch this process trains: its threads' share of every rank's.</summary>
    private readonly int _blocksPerRank = schedule.Threads * BlocksPerThread(schedule, corpusPath, ranks);

    /// <summary>Byte ranges the corpus is cut into: every rank's blocks (see <see cref="BlocksPerThread(int, int, int, bool)"/>).</summary>
    private int Blocks => _blocksPerRank * (ranks?.Size ?? 1);

    /// <summary>Tickets dealt so far; ticket t is this process's block t mod _blocksPerRank of epoch t / _blocksPerRank.</summary>
    private long _ticketsDealt;
    private long _wordsProcessed;
    private long _resumedWords;
    private long _sentencesProcessed;
    private volatile float _learningRate = schedule.StartingLearningRate;
    private volatile int _epoch;
    private WorkerPause? _pause;

    /// <summary>Runs every worker to the end; returns the final progress.</summary>
    /// <param name="createWorker">Builds shard i's worker from its seed, on that worker's own thread.</param>
    /// <param name="onProgress">Called from the calling thread about every <paramref name="interval"/> and once at the end.</param>
    /// <param name="interval">Time between progress calls.</param>
    /// <param name="cancellation">Stops training early; then an <see cref="OperationCanceledException"/> is thrown.</param>
    /// <param name="checkpoint">
    /// Writes checkpoints (steps are words) and resumes from one; its workers must be <see cref="IResumableWorker"/>s.
    /// </param>
    public TrainingProgress Execute(Func<ulong, ISentenceWorker> createWorker, Action<TrainingProgress>? onProgress,
        TimeSpan interval, CancellationToken cancellation, WeightsCheckpoint? checkpoint = null)
    {
        var seeds = new ulong[schedule.Threads];
        for (int shard = 0; shard < seeds.Length; shard++)
        {
            seeds[shard] = schedule.Seed + (ulong)shard * SeedSpacing;
            _positions[shard] = new ShardPosition();
        }
        if (checkpoint != null && ranks != null)
            throw new ArgumentException("Checkpoints of a distributed run are not written yet: drop --checkpoint and --resume, or --distributed.");
        if (checkpoint != null)
        {
            Restore(checkpoint, seeds);
            _pause = new WorkerPause(schedule.Threads, checkpoint.Settings, _wordsProcessed, () => Save(checkpoint));
        }
        if (ranks == null)
            return _run.Execute(schedule.Name, shard => _workers[shard] = createWorker(seeds[shard]), Work, Snapshot, onProgress,
                interval, cancellation);
        return ranks.TrainBeside(
            stop => _run.Execute(schedule.Name, shard => _workers[shard] = createWorker(seeds[shard]), Work, Snapshot, onProgress, interval, stop),
            () => [Interlocked.Read(ref _wordsProcessed), Interlocked.Read(ref _sentencesProcessed)], Snapshot, onProgress, interval, cancellation);
    }

    /// <summary>Frees the checkpoint pause.</summary>
    public void Dispose() => _pause?.Dispose();

    /// <summary>
    /// One worker's share: blocks taken one at a time, in corpus order, by whichever worker is free, as gensim's
    /// workers take its jobs, so the threads move through the corpus together even when one runs slower (with each
    /// thread held to its own blocks, CBOW on 2 threads of a loaded machine scored 0.6–1.6 Spearman points lower).
    /// With one block per thread (word2vec.c's layout) each thread still reads one contiguous part. All parts are
    /// trained at the same point of the learning-rate schedule, so no stretch of the corpus is left to the tiny rates
    /// at the very end. A resumed worker starts where its position says, re-reading (not training) the sentences of
    /// its block it had done.
    /// </summary>
    private void Work(ISentenceWorker worker, int shard, CancellationToken stop)
    {
        var sentence = new int[schedule.MaxSentenceLength];
        // A copy from this thread's own allocations: positions made one after another on the caller's thread may share
        // a cache line, and every sentence writes its worker's counts (no measurable cost on the comparison corpus's
        // long lines; a corpus of short lines writes them far more often).
        ShardPosition at = _positions[shard] = _positions[shard].Copy();
        long tickets = (long)schedule.Epochs * _blocksPerRank;
        if (at.Ticket < 0) at.Ticket = NextTicket();
        for (; at.Ticket < tickets && !stop.IsCancellationRequested; at.Ticket = NextTicket(), at.Sentence = 0)
        {
            int epoch = (int)(at.Ticket / _blocksPerRank);
            if (epoch > _epoch) _epoch = epoch;
            using var reader = new SentenceReader(corpusPath, vocabulary, schedule.MaxSentenceLength, BlockOf(at.Ticket), Blocks, _boundary);
            for (long skipped = 0; skipped < at.Sentence; skipped++) reader.Read(sentence, out _);
            int length;
            while (!stop.IsCancellationRequested && (length = reader.Read(sentence, out _)) >= 0)
            {
                at.Sentence++;
                at.UnpublishedSentences++;
                if (length > 0)
                {
                    worker.TrainSentence(sentence.AsSpan(0, length), _learningRate);
                    at.UnpublishedWords += length;
                    if (at.UnpublishedWords >= WordCountPublishStep) Publish(at);
                }
                if (_pause is { Requested: true })
                {
                    worker.Flush();
                    _pause.Wait(stop);
                }
            }
        }
        worker.Finish();
        worker.Flush();
        Publish(at);
        _pause?.Leave();
    }

    /// <summary>
    /// Blocks a thread takes per epoch on average. A job of one thread reads the corpus in order anyway; a gzip corpus is
    /// already dealt out line by line, and every block would decompress it whole: both take one per thread. Ranks of
    /// one thread each interleave as threads do: with one contiguous part each, one rank trained the old speeches while
    /// the other trained the rest, and the job scored below one process (MTurk-771 1.1–1.5 points).
    /// </summary>
    internal static int BlocksPerThread(int requested, int threads, int ranks, bool gzip)
        => requested > 1 && threads * ranks > 1 && !gzip ? requested : 1;

    private static int BlocksPerThread(ShardedSchedule schedule, string corpusPath, RowDeltaSync? ranks)
        => BlocksPerThread(schedule.BlocksPerThread, schedule.Threads, ranks?.Size ?? 1, CorpusReader.IsGzip(corpusPath));

    private long NextTicket() => Interlocked.Increment(ref _ticketsDealt) - 1;

    /// <summary>The corpus block of a ticket: rank r's threads own blocks r·threads …, then every ranks·threads on.</summary>
    private int BlockOf(long ticket)
    {
        int index = (int)(ticket % _blocksPerRank);
        return index / schedule.Threads * _shardStep + _firstShard + index % schedule.Threads;
    }

    /// <summary>Adds a worker's unpublished counts to the shared ones and lowers the learning rate to match.</summary>
    private void Publish(ShardPosition at)
    {
        long processed = Interlocked.Add(ref _wordsProcessed, at.UnpublishedWords);
        long sentencesProcessed = Interlocked.Add(ref _sentencesProcessed, at.UnpublishedSentences);
        at.UnpublishedWords = at.UnpublishedSentences = 0;
        float progress = schedule.Decay == LearningRateDecay.Sentences
            ? JobCount(1, sentencesProcessed) / (float)(_totalSentences + 1)
            : JobCount(0, processed) / (float)(_totalWords + 1);
        _learningRate = schedule.StartingLearningRate * Math.Max(MinimumLearningRateFraction, 1f - progress);
        _pause?.Offer(processed);
    }

    /// <summary>Called while every worker waits: the weights, the shared counts and each worker's position.</summary>
    private void Save(WeightsCheckpoint checkpoint)
    {
        var position = new Dictionary<string, string>
        {
            ["words"] = TrainingCheckpoint.Invariant(_wordsProcessed),
            ["sentences"] = TrainingCheckpoint.Invariant(_sentencesProcessed),
            ["learning_rate_bits"] = TrainingCheckpoint.Invariant(BitConverter.SingleToInt32Bits(_learningRate)),
            ["tickets_dealt"] = TrainingCheckpoint.Invariant(_ticketsDealt),
        };
        for (int shard = 0; shard < _positions.Length; shard++)
        {
            var worker = (IResumableWorker)_workers[shard]!;
            _positions[shard].SaveTo(position, shard, worker.RandomState);
        }
        checkpoint.Save(position);
    }

    private void Restore(WeightsCheckpoint checkpoint, ulong[] seeds)
    {
        using var saved = checkpoint.Restore();
        if (saved == null) return;
        _wordsProcessed = _resumedWords = TrainingCheckpoint.Number(saved, "words");
        _sentencesProcessed = TrainingCheckpoint.Number(saved, "sentences");
        _learningRate = BitConverter.Int32BitsToSingle((int)TrainingCheckpoint.Number(saved, "learning_rate_bits"));
        _ticketsDealt = TrainingCheckpoint.Number(saved, "tickets_dealt");
        for (int shard = 0; shard < _positions.Length; shard++)
        {
            (_positions[shard], seeds[shard]) = ShardPosition.Load(saved, shard);
            if (_positions[shard].Ticket >= 0)
                _epoch = Math.Max(_epoch, (int)Math.Min(_positions[shard].Ticket / _blocksPerRank, schedule.Epochs - 1));
        }
    }

    /// <summary>Sentences in one pass over the corpus, as the workers' readers cut them.</summary>
    private static long CountSentences(string corpusPath, Vocabulary vocabulary, int maxSentenceLength)
    {
        using var reader = new SentenceReader(corpusPath, vocabulary, maxSentenceLength);
        var ids = new int[maxSentenceLength];
        long sentences = 0;
        while (reader.Read(ids, out _) >= 0) sentences++;
        return sentences;
    }

    /// <summary>A count of this process (words 0, sentences 1) as the whole job's: itself without ranks.</summary>
    private long JobCount(int counter, long local) => ranks?.Global(counter, local) ?? local;

    private TrainingProgress Snapshot() => new(JobCount(0, Interlocked.Read(ref _wordsProcessed)), _totalWords, _epoch + 1, _learningRate,
        _run.RecentLoss(), _run.Elapsed) { ResumedWords = _resumedWords };
}

/// <summary>How a <see cref="ShardedTraining"/> run is laid out.</summary>
/// <param name="Name">Names the worker threads.</param>
/// <param name="Epochs">Passes over the corpus.</param>
/// <param name="Threads">Workers, one shard each.</param>
/// <param name="MaxSentenceLength">Longest sentence trained as one unit.</param>
/// <param name="StartingLearningRate">The rate at the start; it falls linearly to nearly zero.</param>
/// <param name="Seed">Worker i's random source starts from this seed plus i times a spacing.</param>
/// <param name="Decay">What the learning rate's fall counts.</param>
/// <param name="BlocksPerThread">Byte ranges per thread, dealt out round robin; 1 gives each thread one contiguous part.</param>
internal sealed record ShardedSchedule(string Name, int Epochs, int Threads, int MaxSentenceLength, float StartingLearningRate, ulong Seed,
    LearningRateDecay Decay = LearningRateDecay.Words, int BlocksPerThread = 1);
