using System.Diagnostics;
using EmbedEngine.Kernels.Dense;
using EmbedEngine.Models.Training;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.IO;
using EmbedEngine.Tensors.Optimizers;

namespace EmbedEngine.Models.Mlp;

/// <summary>
/// Trains an <see cref="MlpClassifier"/> with AdamW on shuffled mini-batches, the learning rate decaying linearly
/// to zero. The batch tensors and the graph are reused, so steps after the first allocate nothing. With checkpoints
/// a run can be stopped at any moment and resumed to the same result, bit for bit.
/// </summary>
public static class MlpTrainer
{
    private const string Trainer = "mlp";

    /// <summary>
    /// Trains on <paramref name="images"/> with <paramref name="labels"/>; reports progress in images. With
    /// <paramref name="checkpoint"/> it writes checkpoints and resumes from one (null: neither). With
    /// <paramref name="ranks"/> it is one rank of synchronous data-parallel training: every rank walks the same shuffled
    /// order, computes the gradient of its share of each global batch, and the shares are summed across ranks before the
    /// same update everywhere, so N ranks follow one process's run with the same batch (to float rounding; dropout masks
    /// are drawn per rank, so only runs without dropout match exactly).
    /// </summary>
    public static (MlpClassifier Model, TrainingProgress Final) Train(IdxImages images, byte[] labels, MlpOptions options,
        Action<TrainingProgress>? onProgress, TimeSpan interval, CancellationToken cancellation, CheckpointSettings? checkpoint = null,
        DataParallelStep? ranks = null)
    {
        options.Validate();
        if (labels.Length != images.Count)
            throw new InvalidDataException($"There are {images.Count} images but {labels.Length} labels.");
        int classes = labels.Max() + 1;
        TensorSettings.Threads = options.Threads;
        float[] pixels = MlpClassifier.Standardize(images);
        int inputs = images.PixelsPerImage, batchSize = Math.Min(options.BatchSize, images.Count);
        Device device = Device.Open(options.Device);
        var model = new MlpClassifier(inputs, options.HiddenSizes, classes, options.Dropout, options.Seed);
        try
        {
            // Before the optimizer, whose state is made beside the parameters.
            model.Network.To(device);
            using var optimizer = new Adam(model.Network.Parameters(), AdamSettings.AdamW(options.LearningRate, options.WeightDecay));
            var batch = new MiniBatch(batchSize, inputs, device);
            var state = new RunState(Enumerable.Range(0, images.Count).ToArray(), new FastRandom((ulong)options.Seed));
            var checkpoints = checkpoint == null ? null : new NetworkCheckpoint(checkpoint, Trainer, options.Fingerprint(images.Count), model.Network, optimizer);
            using (SafetensorsContents? saved = checkpoints?.Restore())
                if (saved != null) state.Restore(saved);
            long resumed = state.Seen;
            long total = (long)options.Epochs * images.Count;
            int stepsPerEpoch = (images.Count + batchSize - 1) / batchSize, totalSteps = options.Epochs * stepsPerEpoch;
            var clock = Stopwatch.StartNew();
            TimeSpan nextReport = interval;
            double lastLoss = double.NaN;
            for (; state.Epoch <= options.Epochs; state.Epoch++, state.Start = 0)
            {
                if (state.Start == 0) state.Random.Shuffle(state.Order);
                for (; state.Start < images.Count; state.Start += batchSize)
                {
                    cancellation.ThrowIfCancellationRequested();
                    int rows = Math.Min(batchSize, images.Count - state.Start);
                    (int first, int count) = ranks?.Share(rows) ?? (0, rows);
                    float learningRate = options.LearningRate * (1f - (float)optimizer.Steps / totalSteps);
                    optimizer.Settings = optimizer.Settings with { LearningRate = learningRate };
                    optimizer.ZeroGrad();
                    double batchLoss = 0;
                    Tensor? loss = null;
                    if (count > 0)
                    {
                        (Tensor x, int[] targets) = batch.Fill(pixels, labels, state.Order.AsSpan(state.Start + first, count));
                        loss = Ops.CrossEntropy(model.Network.Forward(x), targets);
                        batchLoss = loss.Item();
                    }
                    if (ranks != null) batchLoss = ranks.Backward(loss, optimizer.Parameters, batchLoss, count, rows);
                    else loss!.Backward();
                    state.LossSum += batchLoss;
                    state.LossCount++;
                    optimizer.Step();
                    state.Seen += rows;
                    if (checkpoints?.Due == true)
                    {
                        // Saved as after this batch: a resumed run starts at the next one.
                        state.Start += batchSize;
                        state.Save(checkpoints);
                        state.Start -= batchSize;
                    }
                    if (onProgress != null && clock.Elapsed >= nextReport)
                    {
                        lastLoss = state.LossSum / state.LossCount;
                        (state.LossSum, state.LossCount) = (0, 0);
                        onProgress(new TrainingProgress(state.Seen, total, state.Epoch, learningRate, lastLoss, clock.Elapsed) { ResumedWords = resumed });
                        nextReport = clock.Elapsed + interval;
                    }
                }
            }
            double lossSum = state.LossSum;
            int lossCount = state.LossCount;
            long seen = state.Seen;
            if (lossCount > 0) lastLoss = lossSum / lossCount;
            var final = new TrainingProgress(seen, total, options.Epochs, 0f, lastLoss, clock.Elapsed) { ResumedWords = resumed };
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

    /// <summary>
    /// Where a run stands between steps — epoch, next batch, the epoch's order, the shuffling generator, images seen,
    /// the loss being averaged for the next report — and its part of a checkpoint, beside the network and the optimizer.
    /// </summary>
    private sealed class RunState(int[] order, FastRandom random)
    {
        public int[] Order = order;
        public FastRandom Random = random;
        public int Epoch = 1;
        public int Start;
        public long Seen;
        public double LossSum;
        public int LossCount;

        public void Save(NetworkCheckpoint checkpoints) => checkpoints.Save(Random.State, Order, new Dictionary<string, string>
        {
            ["epoch"] = TrainingCheckpoint.Invariant(Epoch),
            ["start"] = TrainingCheckpoint.Invariant(Start),
            ["seen"] = TrainingCheckpoint.Invariant(Seen),
            ["loss_sum"] = LossSum.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            ["loss_count"] = TrainingCheckpoint.Invariant(LossCount),
        });

        public void Restore(SafetensorsContents saved)
        {
            Order = NetworkCheckpoint.Order(saved, Order.Length);
            Random = new FastRandom(NetworkCheckpoint.RandomState(saved));
            Epoch = (int)TrainingCheckpoint.Number(saved, "epoch");
            Start = (int)TrainingCheckpoint.Number(saved, "start");
            Seen = TrainingCheckpoint.Number(saved, "seen");
            LossCount = (int)TrainingCheckpoint.Number(saved, "loss_count");
            LossSum = double.Parse(saved.Metadata["loss_sum"], System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// The reused input tensors and target arrays: one for full batches, one for the last, shorter batch; for a GPU run
    /// also the batch's copy on the device, rewritten each step.
    /// </summary>
    private sealed class MiniBatch(int batchSize, int inputs, Device device) : IDisposable
    {
        private readonly Tensor _full = Tensor.Zeros(batchSize, inputs);
        private readonly int[] _fullTargets = new int[batchSize];
        private Tensor? _tail;
        private int[] _tailTargets = [];
        private Tensor? _onDevice;

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
            if (device.Kind == DeviceKind.Cpu) return (input, targets);
            if (_onDevice?.Shape == input.Shape) _onDevice.CopyFrom(input.AsSpan());
            else
            {
                _onDevice?.Dispose();
                _onDevice = input.To(device);
            }
            return (_onDevice, targets);
        }

        public void Dispose()
        {
            _full.Dispose();
            _tail?.Dispose();
            _onDevice?.Dispose();
        }
    }
}
