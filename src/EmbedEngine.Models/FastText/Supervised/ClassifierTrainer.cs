using EmbedEngine.Kernels;
using EmbedEngine.Models.Training;

namespace EmbedEngine.Models.FastText.Supervised;

/// <summary>
/// Trains fastText's text classifier: reads the labelled file once into encoded examples, then runs lock-free
/// worker threads, each over its own slice of the examples every epoch, with the learning rate falling linearly
/// from its start to zero over all tokens of all epochs.
/// </summary>
public static class ClassifierTrainer
{
    /// <summary>Tokens a worker trains before it publishes them and the learning rate moves (fastText's lrUpdateRate).</summary>
    internal const int TokenPublishStep = 100;

    /// <summary>Worker seeds are this far apart (2^32 over the golden ratio), so no two threads share a random stream.</summary>
    private const ulong WorkerSeedStride = 0x9E3779B9UL;

    /// <summary>Trains on the labelled file <paramref name="path"/>.</summary>
    /// <param name="path">UTF-8 text, one example per line, labels as tokens starting with the label prefix.</param>
    /// <param name="options">Training options; validated first.</param>
    /// <param name="onProgress">Called from the calling thread about every <paramref name="progressInterval"/> and once at the end.</param>
    /// <param name="progressInterval">Time between progress calls.</param>
    /// <param name="cancellation">Stops training early; then an <see cref="OperationCanceledException"/> is thrown.</param>
    /// <exception cref="EmbedEngine.Text.CorpusException">The file is empty or has no labelled line.</exception>
    public static ClassifierResult Train(string path, ClassifierOptions options, Action<TrainingProgress>? onProgress = null,
        TimeSpan? progressInterval = null, CancellationToken cancellation = default)
    {
        options.Validate();
        ClassifierDictionary dictionary = ClassifierDictionary.Build(path, options);
        ClassifierModel model = NewModel(dictionary, options);
        try
        {
            return new ClassifierResult(model, Continue(model, path, options, onProgress, progressInterval, cancellation));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Trains a dense <paramref name="model"/> further on <paramref name="path"/>, encoded with the model's own
    /// dictionary (quantize's <c>-retrain</c> after pruning); only the epochs, rate, threads and seed of
    /// <paramref name="options"/> are used.
    /// </summary>
    /// <exception cref="EmbedEngine.Text.CorpusException">No line has both a label and a feature the model knows.</exception>
    public static TrainingProgress Continue(ClassifierModel model, string path, ClassifierOptions options,
        Action<TrainingProgress>? onProgress = null, TimeSpan? progressInterval = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        options.Validate();
        LabelledExamples examples = LabelledExamples.Read(path, model.Dictionary);
        if (examples.Count == 0)
            throw new EmbedEngine.Text.CorpusException($"no line of '{path}' has both a kept label and a kept word (see minCount, minCountLabel)");
        var run = new Run(examples, model, options);
        return run.Execute(onProgress, progressInterval ?? TimeSpan.FromSeconds(1), cancellation);
    }

    /// <summary>The untrained model: random input rows, an output layer of zeros, one row per label as fastText has it.</summary>
    private static ClassifierModel NewModel(ClassifierDictionary dictionary, ClassifierOptions options)
    {
        NativeMatrix input = InitialInput(dictionary.InputRows, options);
        NativeMatrix output = NativeMatrix.Allocate(dictionary.LabelCount, options.Dimension, padRows: true);
        try
        {
            return new ClassifierModel(new FastTextModel(options.ToArgs(), dictionary.Entries, input, output), options.LabelPrefix);
        }
        catch
        {
            input.Dispose();
            output.Dispose();
            throw;
        }
    }

    /// <summary>Input rows uniform in ±1/dim, as fastText starts them; the output layer starts at zero.</summary>
    private static NativeMatrix InitialInput(int rows, ClassifierOptions options)
    {
        NativeMatrix input = NativeMatrix.Allocate(rows, options.Dimension, padRows: true);
        var random = new FastRandom(options.Seed);
        float scale = 2f / options.Dimension;
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = input.Row(r);
            for (int c = 0; c < row.Length; c++) row[c] = (random.NextFloat() - 0.5f) * scale;
        }
        return input;
    }

    /// <summary>The shared state of one training run.</summary>
    private sealed class Run(LabelledExamples examples, ClassifierModel model, ClassifierOptions options)
    {
        private readonly long _totalTokens = examples.TotalTokens * options.Epochs;
        private readonly HogwildRun<ClassifierWorker> _threads = new(options.Threads);
        private long _tokensProcessed;
        private volatile float _learningRate = options.LearningRate;
        private volatile int _epoch;

        public TrainingProgress Execute(Action<TrainingProgress>? onProgress, TimeSpan interval, CancellationToken cancellation) =>
            _threads.Execute("classifier",
                shard => new ClassifierWorker(model.Input, model.Output, options.Seed + (ulong)shard * WorkerSeedStride),
                Work, Snapshot, onProgress, interval, cancellation);

        /// <summary>
        /// One worker's share: every epoch it trains its own slice of the examples, in file order, as each of
        /// fastText's threads reads its own part of the file.
        /// </summary>
        private void Work(ClassifierWorker worker, int shard, CancellationToken stop)
        {
            int from = (int)((long)examples.Count * shard / options.Threads);
            int to = (int)((long)examples.Count * (shard + 1) / options.Threads);
            long unpublished = 0;
            for (int epoch = 0; epoch < options.Epochs && !stop.IsCancellationRequested; epoch++)
            {
                if (epoch > _epoch) _epoch = epoch;
                for (int index = from; index < to && !stop.IsCancellationRequested; index++)
                {
                    worker.Train(examples.Features(index), examples.Labels(index), _learningRate);
                    unpublished += examples.Tokens(index);
                    if (unpublished > TokenPublishStep)
                    {
                        Publish(unpublished);
                        unpublished = 0;
                    }
                }
            }
            Publish(unpublished);
        }

        private void Publish(long tokens)
        {
            long processed = Interlocked.Add(ref _tokensProcessed, tokens);
            _learningRate = options.LearningRate * Math.Max(0f, 1f - processed / (float)_totalTokens);
        }

        private TrainingProgress Snapshot() => new(Interlocked.Read(ref _tokensProcessed), _totalTokens, _epoch + 1,
            _learningRate, _threads.RecentLoss(), _threads.Elapsed);
    }
}
