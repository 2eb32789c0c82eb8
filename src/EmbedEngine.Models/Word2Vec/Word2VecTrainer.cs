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
            options.HierarchicalSoftmax, options.Seed, options.InitialRange);
        try
        {
            var subsampler = new Subsampler(vocabulary, options.Sample);
            NoiseSampler? noise = options.Negative > 0 ? new NoiseSampler(vocabulary) : null;
            HuffmanTree? tree = options.HierarchicalSoftmax ? new HuffmanTree(vocabulary) : null;
            var schedule = new ShardedSchedule("word2vec", options.Epochs, options.Threads, options.MaxSentenceLength,
                options.StartingLearningRate, options.Seed, options.Decay, options.Interleave);
            TrainingProgress final = new ShardedTraining(corpusPath, vocabulary, schedule).Execute(
                seed => new Word2VecWorker(options, weights, subsampler, noise, tree, seed),
                onProgress, progressInterval ?? TimeSpan.FromSeconds(1), cancellation);
            var vectors = new KeyedVectors(vocabulary.Words, weights.DetachInput());
            return new Word2VecResult(vectors, vocabulary, final);
        }
        catch
        {
            weights.Dispose();
            throw;
        }
    }
}
