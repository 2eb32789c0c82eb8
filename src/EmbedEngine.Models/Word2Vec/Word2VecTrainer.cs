using EmbedEngine.Models.Training;
using EmbedEngine.Text;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.Word2Vec;

/// <summary>
/// Trains word2vec: builds the vocabulary in one streaming pass, then runs lock-free worker threads, each
/// streaming its own shard of the corpus, epoch after epoch.
/// </summary>
public static class Word2VecTrainer
{
    /// <summary>Workers publish their word counts in steps of this size, as word2vec.c does.</summary>
    private const int WordCountPublishStep = 10_000;

    /// <summary>The learning rate never falls below this fraction of its start (word2vec.c's floor).</summary>
    private const float MinimumLearningRateFraction = 1e-4f;

    /// <summary>Trains on <paramref name="corpusPath"/>.</summary>
    /// <param name="corpusPath">UTF-8 text, plain or gzip, whitespace-tokenized, one sentence per line.</param>
    /// <param name="options">Training options; validated first.</param>
    /// <param name="onProgress">Called from the calling thread about every <paramref name="progressInterval"/> and once at the end.</param>
    /// <param name="progressInterval">Time between progress calls.</param>
    /// <param name="cancellation">Stops training early; then an <see cref="OperationCanceledException"/> is thrown.</param>
    /// <exception cref="CorpusException">The corpus is missing, empty or has no word over min-count.</exception>
    public static Word2VecResult Train(string corpusPath, Word2VecOptions options,
        Action<TrainingProgress>? onProgress = null, TimeSpan? progressInterval = null, CancellationToken cancellation = default)
    {
        options.Validate();
        Vocabulary vocabulary = Vocabulary.Build(corpusPath, options.MinCount, options.MaxVocabularySize);
        return Train(corpusPath, vocabulary, options, onProgress, progressInterval, cancellation);
    }

    /// <summary>Trains on <paramref name="corpusPath"/> with a vocabulary built beforehand.</summary>
    public static Word2VecResult Train(string corpusPath, Vocabulary vocabulary, Word2VecOptions options,
        Action<TrainingProgress>? onProgress = null, TimeSpan? progressInterval = null, CancellationToken cancellation = default)
    {
        options.Validate();
        // The counting pass leaves a word table for every distinct token behind; hand it back to the OS before
        // the weights arrive, so the peak is the weights plus the kept vocabulary, not plus the counting table.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var weights = new Word2VecWeights(vocabulary.Count, options.Dimension, options.Negative > 0,
            options.HierarchicalSoftmax, options.Seed);
        try
        {
            var run = new Run(corpusPath, vocabulary, options, weights);
            TrainingProgress final = run.Execute(onProgress, progressInterval ?? TimeSpan.FromSeconds(1), cancellation);
            var vectors = new KeyedVectors(vocabulary.Words, weights.DetachInput());
            return new Word2VecResult(vectors, vocabulary, final);
        }
        catch
        {
            weights.Dispose();
            throw;
        }
    }

    /// <summary>The shared state of one training run.</summary>
    private sealed class Run(string corpusPath, Vocabulary vocabulary, Word2VecOptions options, Word2VecWeights weights)
    {
        private readonly long _totalWords = vocabulary.TotalWords * options.Epochs;
        private readonly HogwildRun<Word2VecWorker> _threads = new(options.Threads);
        private long _wordsProcessed;
        private volatile float _learningRate = options.StartingLearningRate;
        private volatile int _epoch;

        public TrainingProgress Execute(Action<TrainingProgress>? onProgress, TimeSpan interval, CancellationToken cancellation)
        {
            var subsampler = new Subsampler(vocabulary, options.Sample);
            NoiseSampler? noise = options.Negative > 0 ? new NoiseSampler(vocabulary) : null;
            HuffmanTree? tree = options.HierarchicalSoftmax ? new HuffmanTree(vocabulary) : null;
            return _threads.Execute("word2vec",
                shard => new Word2VecWorker(options, weights, subsampler, noise, tree, options.Seed + (ulong)shard * 0x9E3779B9UL),
                Work, Snapshot, onProgress, interval, cancellation);
        }

        /// <summary>
        /// One worker's share: every epoch it streams its own shard of the corpus, as word2vec.c's threads each read
        /// their own part of the file. All parts are then trained at the same point of the learning-rate schedule,
        /// so no stretch of the corpus is left to the tiny rates at the very end of the run.
        /// </summary>
        private void Work(Word2VecWorker worker, int shard, CancellationToken stop)
        {
            var sentence = new int[options.MaxSentenceLength];
            long unpublished = 0;
            for (int epoch = 0; epoch < options.Epochs && !stop.IsCancellationRequested; epoch++)
            {
                if (epoch > _epoch) _epoch = epoch;
                using var reader = new SentenceReader(corpusPath, vocabulary, options.MaxSentenceLength, shard, options.Threads);
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
            float start = options.StartingLearningRate;
            _learningRate = start * Math.Max(MinimumLearningRateFraction, 1f - processed / (float)(_totalWords + 1));
        }

        private TrainingProgress Snapshot() => new(Interlocked.Read(ref _wordsProcessed), _totalWords, _epoch + 1,
            _learningRate, _threads.RecentLoss(), _threads.Elapsed);
    }
}
