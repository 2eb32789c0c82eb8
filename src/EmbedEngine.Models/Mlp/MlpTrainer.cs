using System.Diagnostics;
using EmbedEngine.Kernels.Dense;
using EmbedEngine.Models.Training;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Optimizers;

namespace EmbedEngine.Models.Mlp;

/// <summary>
/// Trains an <see cref="MlpClassifier"/> with AdamW on shuffled mini-batches, the learning rate decaying linearly
/// to zero. The batch tensors and the graph are reused, so steps after the first allocate nothing.
/// </summary>
public static class MlpTrainer
{
    /// <summary>Trains on <paramref name="images"/> with <paramref name="labels"/>; reports progress in images.</summary>
    public static (MlpClassifier Model, TrainingProgress Final) Train(IdxImages images, byte[] labels, MlpOptions options,
        Action<TrainingProgress>? onProgress, TimeSpan interval, CancellationToken cancellation)
    {
        options.Validate();
        if (labels.Length != images.Count)
            throw new InvalidDataException($"There are {images.Count} images but {labels.Length} labels.");
        int classes = labels.Max() + 1;
        TensorSettings.Threads = options.Threads;
        float[] pixels = MlpClassifier.Standardize(images);
        int inputs = images.PixelsPerImage, batchSize = Math.Min(options.BatchSize, images.Count);
        var model = new MlpClassifier(inputs, options.HiddenSizes, classes, options.Dropout, options.Seed);
        try
        {
            using var optimizer = new Adam(model.Network.Parameters(), AdamSettings.AdamW(options.LearningRate, options.WeightDecay));
            var batch = new MiniBatch(batchSize, inputs);
            int[] order = Enumerable.Range(0, images.Count).ToArray();
            var random = new FastRandom((ulong)options.Seed);
            long total = (long)options.Epochs * images.Count, seen = 0;
            int stepsPerEpoch = (images.Count + batchSize - 1) / batchSize, totalSteps = options.Epochs * stepsPerEpoch;
            var clock = Stopwatch.StartNew();
            TimeSpan nextReport = interval;
            double lossSum = 0, lastLoss = double.NaN;
            int lossCount = 0;
            for (int epoch = 1; epoch <= options.Epochs; epoch++)
            {
                random.Shuffle(order);
                for (int start = 0; start < images.Count; start += batchSize)
                {
                    cancellation.ThrowIfCancellationRequested();
                    int rows = Math.Min(batchSize, images.Count - start);
                    (Tensor x, int[] targets) = batch.Fill(pixels, labels, order.AsSpan(start, rows));
                    float learningRate = options.LearningRate * (1f - (float)optimizer.Steps / totalSteps);
                    optimizer.Settings = optimizer.Settings with { LearningRate = learningRate };
                    optimizer.ZeroGrad();
                    Tensor loss = Ops.CrossEntropy(model.Network.Forward(x), targets);
                    lossSum += loss.Item();
                    lossCount++;
                    loss.Backward();
                    optimizer.Step();
                    seen += rows;
                    if (onProgress != null && clock.Elapsed >= nextReport)
                    {
                        lastLoss = lossSum / lossCount;
                        (lossSum, lossCount) = (0, 0);
                        onProgress(new TrainingProgress(seen, total, epoch, learningRate, lastLoss, clock.Elapsed));
                        nextReport = clock.Elapsed + interval;
                    }
                }
            }
            if (lossCount > 0) lastLoss = lossSum / lossCount;
            var final = new TrainingProgress(seen, total, options.Epochs, 0f, lastLoss, clock.Elapsed);
            onProgress?.Invoke(final);
            batch.Dispose();
            return (model, final);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The reused input tensors and target arrays: one for full batches, one for the last, shorter batch.</summary>
    private sealed class MiniBatch(int batchSize, int inputs) : IDisposable
    {
        private readonly Tensor _full = Tensor.Zeros(batchSize, inputs);
        private readonly int[] _fullTargets = new int[batchSize];
        private Tensor? _tail;
        private int[] _tailTargets = [];

        public (Tensor Input, int[] Targets) Fill(float[] pixels, byte[] labels, ReadOnlySpan<int> images)
        {
            Tensor input;
            int[] targets;
            if (images.Length == batchSize)
                (input, targets) = (_full, _fullTargets);
            else
            {
                if (_tail == null || _tail.Shape[0] != images.Length)
                {
                    _tail?.Dispose();
                    _tail = Tensor.Zeros(images.Length, inputs);
                    _tailTargets = new int[images.Length];
                }
                (input, targets) = (_tail, _tailTargets);
            }
            Span<float> rows = input.AsSpan();
            for (int r = 0; r < images.Length; r++)
            {
                pixels.AsSpan(images[r] * inputs, inputs).CopyTo(rows.Slice(r * inputs, inputs));
                targets[r] = labels[images[r]];
            }
            return (input, targets);
        }

        public void Dispose()
        {
            _full.Dispose();
            _tail?.Dispose();
        }
    }
}
