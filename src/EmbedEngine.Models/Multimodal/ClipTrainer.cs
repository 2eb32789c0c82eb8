using EmbedEngine.Kernels.Dense;
using EmbedEngine.Models.Training;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.IO;
using EmbedEngine.Tensors.Optimizers;

namespace EmbedEngine.Models.Multimodal;

/// <summary>
/// Trains a <see cref="ClipModel"/> on captioned images: every epoch a fresh shuffle cut into full batches (the
/// remainder waits for a later epoch's shuffle, so every step sees N pairs), each image shifted at random, the
/// contrastive loss, backward and AdamW at the warm-up-then-cosine rate. Rates count training steps only. The model
/// and the optimizer live on <see cref="ClipTrainingOptions.Device"/>; each step's patches are cut on the host and
/// copied there. As one rank of data-parallel training it draws the whole batch (the same shuffle, shifts and hidden
/// words on every rank, from the same seed), embeds its share of the pairs, gathers every rank's embeddings for the
/// whole batch's loss and sums the gradients across ranks, so every rank takes the step one process takes.
/// </summary>
public static class ClipTrainer
{
    /// <summary>
    /// Trains <paramref name="model"/> in place on <paramref name="data"/>, first moving it to the options' device, where
    /// it stays; progress counts images. With <paramref name="checkpoint"/> it writes checkpoints (steps are optimizer
    /// steps) and resumes from one (null: neither). With <paramref name="ranks"/> it is one rank of data-parallel training.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid or the batch exceeds the training set.</exception>
    /// <exception cref="InvalidDataException">The checkpoint to resume from is broken, or of another model, other options or data.</exception>
    public static TrainingProgress Train(ClipModel model, CaptionedDigits data, ClipTrainingOptions options,
        Action<TrainingProgress>? onProgress, TimeSpan interval, CancellationToken cancellation, CheckpointSettings? checkpoint = null,
        DataParallelStep? ranks = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        options.Validate();
        if (options.BatchSize > data.Count)
            throw new ArgumentException($"The batch of {options.BatchSize} pairs exceeds the {data.Count} training images.");
        TensorSettings.Threads = options.Threads;
        Device device = Device.Open(options.Device);
        // Before the optimizer, whose state is made beside the parameters.
        model.To(device);
        ClipConfig config = model.Config;
        int[][] captions = data.Captions.Select(c => model.Vocabulary.Encode(c, config.TextContext)).ToArray();
        int batch = options.BatchSize, stepsPerEpoch = data.Count / batch, totalSteps = options.Epochs * stepsPerEpoch;
        var schedule = new WarmupCosineSchedule(options.LearningRate, options.MinLearningRate, options.WarmupSteps, totalSteps);
        var settings = new AdamSettings(options.LearningRate, options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay, Decoupled: true);
        using var optimizer = new Adam(WeightDecayGroups.Of(model, options.WeightDecay), settings);
        using Tensor patches = Tensor.Zeros(batch * config.ImageTokens, config.PatchPixels);
        using Tensor? devicePatches = device.Kind == DeviceKind.Gpu ? patches.To(device) : null;
        int[] order = Enumerable.Range(0, data.Count).ToArray();
        var batchCaptions = new int[batch][];
        var random = new FastRandom((ulong)options.Seed);
        var checkpoints = checkpoint == null ? null : new NetworkCheckpoint(checkpoint, "a CLIP-like model", Identity(model, data, options), model, optimizer);
        using (SafetensorsContents? saved = checkpoints?.Restore())
            if (saved != null)
            {
                order = NetworkCheckpoint.Order(saved, data.Count);
                random = new FastRandom(NetworkCheckpoint.RandomState(saved));
            }
        // A resumed run starts after the checkpoint's steps, mid-epoch or at the start of the next one (and its shuffle).
        int firstEpoch = optimizer.Steps / stepsPerEpoch + 1, firstStep = optimizer.Steps % stepsPerEpoch;
        long total = (long)totalSteps * batch, seen = (long)optimizer.Steps * batch, resumed = seen;
        var meter = new StepMeter(onProgress, interval);
        float learningRate = 0f;
        TrainingProgress Snapshot(int epoch) =>
            new(seen, total, epoch, learningRate, meter.TakeMeanLoss(), meter.Elapsed) { LogitScale = model.LogitScale, ResumedWords = resumed };

        model.Train();
        for (int epoch = firstEpoch; epoch <= options.Epochs; epoch++, firstStep = 0)
        {
            if (firstStep == 0) random.Shuffle(order);
            for (int step = firstStep; step < stepsPerEpoch; step++)
            {
                cancellation.ThrowIfCancellationRequested();
                meter.Start();
                ReadOnlySpan<int> images = order.AsSpan(step * batch, batch);
                ImagePatches.Fill(config, data.Images, images, options.MaxShift, ref random, patches.AsSpan());
                devicePatches?.CopyFrom(patches.AsSpan());
                for (int i = 0; i < batch; i++) batchCaptions[i] = HideWords(captions[images[i]], options.UnknownWordRate, ref random);
                learningRate = schedule.At(optimizer.Steps);
                optimizer.Settings = optimizer.Settings with { LearningRate = learningRate };
                optimizer.ZeroGrad();
                float value = ranks == null
                    ? OwnStep(model, devicePatches ?? patches, batchCaptions)
                    : ShareStep(model, ranks, optimizer.Parameters, patches, batchCaptions);
                optimizer.Step();
                if (checkpoints?.Due == true) checkpoints.Save(random.State, order);
                seen += batch;
                meter.Stop(value, () => Snapshot(epoch));
            }
        }
        TrainingProgress final = Snapshot(options.Epochs);
        onProgress?.Invoke(final);
        return final;
    }

    /// <summary>What a run trains from: the options, the starting weights and the data (a checkpoint resumes only its own run; the ranks of a job must agree on it).</summary>
    public static string Identity(ClipModel model, CaptionedDigits data, ClipTrainingOptions options) =>
        $"{options}, {NetworkCheckpoint.WeightsIdentity(model)}, images {DataIdentity.Of(data.Images.Pixels)}, captions {DataIdentity.Of(data.Captions)}";

    private static float OwnStep(ClipModel model, Tensor patches, int[][] captions)
    {
        Tensor loss = model.Loss(patches, new TextBatch(captions));
        float value = loss.Item();
        loss.Backward();
        return value;
    }

    /// <summary>This rank's pairs embedded, the whole batch's loss over every rank's embeddings, the gradients summed across ranks; returns the loss.</summary>
    private static float ShareStep(ClipModel model, DataParallelStep ranks, IReadOnlyList<Tensor> parameters, Tensor patches, int[][] captions)
    {
        (int first, int count) = ranks.Share(captions.Length);
        int tokens = model.Config.ImageTokens;
        using GatheredRows gathered = ranks.GatherRows();
        Tensor loss = model.Loss(patches.Slice(0, first * tokens, count * tokens), new TextBatch(captions[first..(first + count)]), gathered, first);
        float value = loss.Item();
        ranks.BackwardWhole(loss, parameters, [model.LogScale]);
        return value;
    }

    /// <summary>A copy of <paramref name="caption"/> with each word (not the end-of-text token) unknown with probability <paramref name="rate"/>.</summary>
    private static int[] HideWords(int[] caption, float rate, ref FastRandom random)
    {
        if (rate == 0f) return caption;
        int[] copy = (int[])caption.Clone();
        for (int t = 0; t < copy.Length - 1; t++)
            if (random.NextFloat() < rate) copy[t] = CaptionVocabulary.Unknown;
        return copy;
    }
}
