using EmbedEngine.Kernels;
using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Models.Training;
using EmbedEngine.Text;

namespace EmbedEngine.Models.FastText;

/// <summary>
/// Trains fastText's subword skip-gram or CBOW with negative sampling or hierarchical softmax: builds the vocabulary and every word's
/// subword rows, then runs the same sharded Hogwild threads and learning-rate schedule as word2vec.
/// </summary>
public static class FastTextTrainer
{
    /// <summary>Trains on <paramref name="corpusPath"/>.</summary>
    /// <param name="corpusPath">UTF-8 text, plain or gzip, whitespace-tokenized, one sentence per line.</param>
    /// <param name="options">Training options; validated first.</param>
    /// <param name="onProgress">Called from the calling thread about every <paramref name="progressInterval"/> and once at the end.</param>
    /// <param name="progressInterval">Time between progress calls.</param>
    /// <param name="cancellation">Stops training early; then an <see cref="OperationCanceledException"/> is thrown.</param>
    /// <exception cref="CorpusException">The corpus is missing, empty or has no word over min-count.</exception>
    public static FastTextResult Train(string corpusPath, FastTextOptions options,
        Action<TrainingProgress>? onProgress = null, TimeSpan? progressInterval = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Vocabulary vocabulary = Vocabulary.Build(corpusPath, options.MinCount);
        return Train(corpusPath, vocabulary, options, onProgress, progressInterval, cancellation);
    }

    /// <summary>Trains on <paramref name="corpusPath"/> with a vocabulary built beforehand.</summary>
    public static FastTextResult Train(string corpusPath, Vocabulary vocabulary, FastTextOptions options,
        Action<TrainingProgress>? onProgress = null, TimeSpan? progressInterval = null, CancellationToken cancellation = default)
        => Train(corpusPath, vocabulary, options, device: null, onProgress, progressInterval, cancellation: cancellation);

    /// <summary>
    /// Trains on <paramref name="device"/> (null: the CPU) with a vocabulary built beforehand. On a GPU the input
    /// (word and n-gram) and output rows stay on the device from the same starting values to the end, while CPU
    /// threads stream batches of windows to it (<see cref="FastTextGpuWorker"/>) with the same schedule.
    /// </summary>
    /// <param name="corpusPath">UTF-8 text, plain or gzip, whitespace-tokenized, one sentence per line.</param>
    /// <param name="vocabulary">Built from the corpus beforehand.</param>
    /// <param name="options">Training options; validated first.</param>
    /// <param name="device">The GPU to train on; null: the CPU.</param>
    /// <param name="onProgress">Called from the calling thread about every <paramref name="progressInterval"/> and once at the end.</param>
    /// <param name="progressInterval">Time between progress calls.</param>
    /// <param name="checkpoint">Writes checkpoints (steps are words) and resumes from one; CPU runs only. Null: neither.</param>
    /// <param name="cancellation">Stops training early; then an <see cref="OperationCanceledException"/> is thrown.</param>
    /// <exception cref="ArgumentException">Options out of range, hierarchical softmax or checkpoints asked of a GPU.</exception>
    /// <param name="ranks">
    /// One rank of an <c>mpirun</c> job: trains this rank's shards and keeps the rows (words and n-gram buckets) in step
    /// with the other ranks; every rank returns the same model. Null: one process.
    /// </param>
    /// <exception cref="InvalidDataException">The checkpoint to resume from is another trainer's or of other options or another corpus.</exception>
    public static FastTextResult Train(string corpusPath, Vocabulary vocabulary, FastTextOptions options, GpuDevice? device,
        Action<TrainingProgress>? onProgress = null, TimeSpan? progressInterval = null, CheckpointSettings? checkpoint = null,
        RowDeltaSync? ranks = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (device != null && checkpoint != null)
            throw new ArgumentException("fastText checkpoints are written on the CPU only: drop --checkpoint and --resume, or use --device cpu");
        if (device != null && ranks != null)
            throw new ArgumentException("Distributed fastText synchronises rows in host memory: use --device cpu with --distributed.");
        ranks?.RequireAgreement($"fastText {options}, {vocabulary.Count} words, {vocabulary.TotalWords} tokens");
        if (device != null && options.Loss != FastTextLoss.NegativeSampling)
            throw new ArgumentException($"fastText on {device.Name} trains negative sampling only: use -loss ns, or --device cpu");
        SubwordTable subwords = SubwordTable.Build(vocabulary, options.Ngrams());
        // fastText starts every input row, n-gram buckets too, uniform in ±1/dim, and the output rows at zero. Only
        // the rows of words and of buckets their n-grams hit exist here; the rest stay zero (see FastTextModel).
        NativeMatrix input = UniformMatrix.CreateRows(subwords.InputRows, options.Dimension, options.Dimension / 2f, options.Seed,
            row => row < subwords.WordCount ? row : (long)subwords.WordCount + subwords.BucketOfRow(row));
        NativeMatrix? output = null;
        try
        {
            // One output row per word either way, as in fastText's file; the tree's inner nodes use all but the last.
            output = NativeMatrix.Allocate(vocabulary.Count, options.Dimension, padRows: true);
            var subsampler = new Subsampler(vocabulary, options.Sample);
            bool hierarchical = options.Loss == FastTextLoss.HierarchicalSoftmax;
            NoiseSampler? noise = hierarchical ? null : new NoiseSampler(vocabulary, FastTextOptions.NoisePower);
            HuffmanTree? tree = hierarchical ? new HuffmanTree(vocabulary) : null;
            var schedule = new ShardedSchedule("fastText", options.Epochs, options.Threads, options.MaxSentenceLength,
                options.LearningRate, options.Seed);
            NativeMatrix trainedOutput = output;
            ranks?.Attach([input, output], counters: 2);
            using var training = new ShardedTraining(corpusPath, vocabulary, schedule, ranks);
            TimeSpan interval = progressInterval ?? TimeSpan.FromSeconds(1);
            TrainingProgress final;
            if (device == null)
            {
                WeightsCheckpoint? checkpoints = checkpoint == null ? null : new WeightsCheckpoint(checkpoint, "fastText",
                    $"{options}, {CorpusIdentity.Of(corpusPath)}", [new("input", input), new("output", output)]);
                final = training.Execute(seed => new FastTextWorker(options, input, trainedOutput, subwords, subsampler, noise, tree, seed),
                    onProgress, interval, cancellation, checkpoints);
            }
            else
            {
                using var submissions = new GpuSubmissions(device);
                using var deviceInput = new DeviceMatrixBuffer(device, input, "fastText's input rows (words and n-grams)");
                using var deviceOutput = new DeviceMatrixBuffer(device, output, "fastText's output rows");
                final = training.Execute(seed => new FastTextGpuWorker(options, submissions, deviceInput.View, deviceOutput.View,
                    subwords, subsampler, noise!, seed), onProgress, interval, cancellation);
                deviceInput.CopyTo(device, input);
                deviceOutput.CopyTo(device, output);
            }
            var model = new FastTextModel(options.ToArgs(), FastTextDictionary.FromVocabulary(vocabulary), input,
                subwords.RowOfEveryBucket, output);
            return new FastTextResult(model, final);
        }
        catch
        {
            input.Dispose();
            output?.Dispose();
            throw;
        }
    }
}
