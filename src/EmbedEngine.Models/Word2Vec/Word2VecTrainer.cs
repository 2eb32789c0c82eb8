using EmbedEngine.Kernels;
using EmbedEngine.Kernels.Gpu;
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
        => Train(corpusPath, vocabulary, options, device: null, onProgress, progressInterval, cancellation: cancellation);

    /// <summary>
    /// Trains on <paramref name="device"/> (null: the CPU) with a vocabulary built beforehand. On a GPU the vectors
    /// stay on the device from the same starting values to the end, while CPU threads (<see cref="Word2VecOptions.Threads"/>)
    /// stream batches of windows to it (<see cref="Word2VecGpuWorker"/>), with the same schedule; skip-gram then always
    /// shares each window's negatives (the CPU's <see cref="Word2VecOptions.SharedNegatives"/>).
    /// </summary>
    /// <param name="corpusPath">UTF-8 text, plain or gzip, whitespace-tokenized, one sentence per line.</param>
    /// <param name="vocabulary">Built from the corpus beforehand.</param>
    /// <param name="options">Training options; validated first.</param>
    /// <param name="device">The GPU to train on; null: the CPU.</param>
    /// <param name="onProgress">Called from the calling thread about every <paramref name="progressInterval"/> and once at the end.</param>
    /// <param name="progressInterval">Time between progress calls.</param>
    /// <param name="checkpoint">Writes checkpoints (steps are words) and resumes from one; CPU runs only. Null: neither.</param>
    /// <exception cref="ArgumentException">Options out of range, hierarchical softmax or checkpoints asked of a GPU.</exception>
    /// <param name="ranks">
    /// One rank of an <c>mpirun</c> job: trains this rank's shards and keeps the rows in step with the other ranks; every
    /// rank returns the same vectors. Null: one process.
    /// </param>
    /// <param name="cancellation">Stops training early; then an <see cref="OperationCanceledException"/> is thrown.</param>
    /// <exception cref="InvalidDataException">The checkpoint to resume from is another trainer's or of other options or another corpus.</exception>
    public static Word2VecResult Train(string corpusPath, Vocabulary vocabulary, Word2VecOptions options, GpuDevice? device,
        Action<TrainingProgress>? onProgress = null, TimeSpan? progressInterval = null, CheckpointSettings? checkpoint = null,
        RowDeltaSync? ranks = null, CancellationToken cancellation = default)
    {
        options.Validate();
        if (device != null && ranks != null)
            throw new ArgumentException("Distributed word2vec synchronises rows in host memory: use --device cpu with --distributed.");
        ranks?.RequireAgreement($"word2vec {options}, {vocabulary.Count} words, {vocabulary.TotalWords} tokens");
        if (device != null && checkpoint != null)
            throw new ArgumentException($"word2vec checkpoints are written on the CPU only: drop --checkpoint and --resume, or use --device cpu");
        if (device != null && (options.HierarchicalSoftmax || options.Negative == 0))
            throw new ArgumentException($"word2vec on {device.Name} trains negative sampling only: use --hs 0 with --negative above 0, or --device cpu");
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
            ranks?.Attach([.. weights.NamedMatrices.Select(named => named.Value)], counters: 2);
            using var training = new ShardedTraining(corpusPath, vocabulary, schedule, ranks);
            TimeSpan interval = progressInterval ?? TimeSpan.FromSeconds(1);
            TrainingProgress final;
            if (device == null)
            {
                var stagingGate = new Lock();
                final = training.Execute(seed => new Word2VecWorker(options, weights, subsampler, noise, tree, seed, stagingGate),
                    onProgress, interval, cancellation, checkpoint == null ? null : Checkpoint(checkpoint, corpusPath, options, weights));
            }
            else
            {
                using var submissions = new GpuSubmissions(device);
                using var input = new DeviceMatrixBuffer(device, weights.Input, "word2vec's input vectors");
                using var output = new DeviceMatrixBuffer(device, weights.NegativeOutput!, "word2vec's output vectors");
                final = training.Execute(seed => new Word2VecGpuWorker(options, submissions, input.View, output.View, subsampler, noise!, seed),
                    onProgress, interval, cancellation);
                input.CopyTo(device, weights.Input);
            }
            var vectors = new KeyedVectors(vocabulary.Words, weights.DetachInput());
            return new Word2VecResult(vectors, vocabulary, final);
        }
        catch
        {
            weights.Dispose();
            throw;
        }
    }

    private static WeightsCheckpoint Checkpoint(CheckpointSettings settings, string corpusPath, Word2VecOptions options, Word2VecWeights weights)
    {
        return new WeightsCheckpoint(settings, "word2vec", $"{options}, {CorpusIdentity.Of(corpusPath)}", weights.NamedMatrices);
    }
}
