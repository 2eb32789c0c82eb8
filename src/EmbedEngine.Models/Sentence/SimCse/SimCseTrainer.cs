using EmbedEngine.Kernels.Dense;
using EmbedEngine.Models.Contextual;
using EmbedEngine.Models.Training;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.IO;
using EmbedEngine.Tensors.Modules;
using EmbedEngine.Tensors.Optimizers;

namespace EmbedEngine.Models.Sentence.SimCse;

/// <summary>
/// Fine-tunes a BERT-like model into a sentence encoder with SimCSE's objective on the fused InfoNCE op: each step
/// passes N anchors, their N positives and any hard negatives through the encoder together (dropout on), takes each
/// sequence's mean of final-layer vectors, normalizes them, and scores the N × (N + H) cosines at temperature τ,
/// symmetrically (anchor → positive among all candidates, positive → anchor among the anchors). The pooling matches
/// <see cref="TransformerSentenceEncoder"/>'s mean, so the saved model encodes as it was trained. Only the
/// transformer stack trains; the masked-LM head is left as it was. The model is first moved to <see cref="SimCseOptions.Device"/>,
/// where it stays (a checkpoint saved from there loads on any device); each step's pooling weights are copied there.
/// As one rank of data-parallel training it draws the whole batch (the same shuffle on every rank, from the same seed),
/// encodes its share of the examples (their anchors, positives and hard negatives), gathers every rank's sentence
/// vectors for the whole batch's loss and sums the gradients across ranks; its sequences, padded as the whole batch's
/// are, take the dropout masks of their places in the whole batch, so every rank takes the step one process takes.
/// </summary>
public static class SimCseTrainer
{
    /// <summary>
    /// Trains <paramref name="model"/> in place; progress counts examples (anchor–positive pairs). With
    /// <paramref name="checkpoint"/> it writes checkpoints (steps are optimizer steps) and resumes from one (null: neither).
    /// With <paramref name="ranks"/> it is one rank of data-parallel training.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The options are invalid, the model is not BERT-like, or fewer examples than one batch have tokens.
    /// </exception>
    /// <exception cref="InvalidDataException">The checkpoint to resume from is broken, or of another model, other options or examples.</exception>
    public static TrainingProgress Train(TransformerLanguageModel model, IReadOnlyList<SimCseExample> examples, SimCseOptions options,
        Action<TrainingProgress>? onProgress, TimeSpan interval, CancellationToken cancellation, CheckpointSettings? checkpoint = null,
        DataParallelStep? ranks = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(examples);
        options.Validate();
        if (model.Config.Kind != ContextualModelKind.Bert)
            throw new ArgumentException("SimCSE fine-tunes a BERT-like (bidirectional) model; this one is causal.");
        var batch = new SimCseBatch(model, examples, options.MaxTokens);
        if (batch.Count < options.BatchSize)
            throw new ArgumentException($"{batch.Count} examples have tokens; a batch needs {options.BatchSize}.");

        int previousThreads = TensorSettings.Threads;
        TensorSettings.Threads = options.Threads;
        // Before the optimizer, whose state is made beside the parameters.
        Device device = Device.Open(options.Device);
        model.To(device);
        try
        {
            // The starting weights and the examples, named before any step, so a checkpoint resumes only this run.
            string fingerprint = checkpoint == null ? "" : Identity(model, examples, options);
            return Run(model, batch, options, device, checkpoint, fingerprint, ranks, onProgress, interval, cancellation);
        }
        finally
        {
            TensorSettings.Threads = previousThreads;
        }
    }

    /// <summary>What a run trains from: the options, the starting weights and the examples (a checkpoint resumes only its own run; the ranks of a job must agree on it).</summary>
    public static string Identity(TransformerLanguageModel model, IReadOnlyList<SimCseExample> examples, SimCseOptions options) =>
        $"{options}, {NetworkCheckpoint.WeightsIdentity(model)}, examples " + DataIdentity.Of(examples.SelectMany(e => new[] { e.Anchor, e.Positive, e.HardNegative }));

    private static TrainingProgress Run(TransformerLanguageModel model, SimCseBatch batch, SimCseOptions options, Device device, CheckpointSettings? checkpoint,
        string fingerprint, DataParallelStep? ranks, Action<TrainingProgress>? onProgress, TimeSpan interval, CancellationToken cancellation)
    {
        int n = options.BatchSize, stepsPerEpoch = batch.Count / n;
        var schedule = new WarmupCosineSchedule(options.LearningRate, options.MinLearningRate, options.WarmupSteps, options.Steps);
        var settings = new AdamSettings(options.LearningRate, 0.9f, 0.999f, 1e-8f, options.WeightDecay, Decoupled: true);
        using var optimizer = new Adam(WeightDecayGroups.Of(model.Stack, options.WeightDecay), settings);
        float inverseTemperature = 1f / options.Temperature;
        using Tensor hostScale = Tensor.FromArray([MathF.Log(inverseTemperature)], 1), logScale = hostScale.To(device);
        int[] order = Enumerable.Range(0, batch.Count).ToArray();
        var random = new FastRandom((ulong)options.Seed);
        var checkpoints = checkpoint == null ? null : new NetworkCheckpoint(checkpoint, "SimCSE", fingerprint, model.Stack, optimizer);
        using (SafetensorsContents? saved = checkpoints?.Restore())
            if (saved != null)
            {
                order = NetworkCheckpoint.Order(saved, batch.Count);
                random = new FastRandom(NetworkCheckpoint.RandomState(saved));
            }
        long total = (long)options.Steps * n;
        var meter = new StepMeter(onProgress, interval);
        float learningRate = 0f;
        long resumed = (long)optimizer.Steps * n;
        TrainingProgress Snapshot(int step) =>
            new((long)step * n, total, step / stepsPerEpoch + 1, learningRate, meter.TakeMeanLoss(), meter.Elapsed) { ResumedWords = resumed };

        model.Train();
        try
        {
            for (int step = optimizer.Steps; step < options.Steps; step++)
            {
                cancellation.ThrowIfCancellationRequested();
                meter.Start();
                int position = step % stepsPerEpoch;
                if (position == 0) random.Shuffle(order.AsSpan());
                learningRate = schedule.At(step);
                optimizer.Settings = optimizer.Settings with { LearningRate = learningRate };
                optimizer.ZeroGrad();
                ReadOnlySpan<int> examples = order.AsSpan(position * n, n);
                float value = ranks == null
                    ? OwnStep(model, batch, examples, device, logScale, inverseTemperature)
                    : ShareStep(model, batch, examples, ranks, optimizer.Parameters, logScale, inverseTemperature);
                if (options.ClipNorm > 0) optimizer.ClipGradientNorm(options.ClipNorm);
                optimizer.Step();
                if (checkpoints?.Due == true) checkpoints.Save(random.State, order);
                int done = step + 1;
                meter.Stop(value, () => Snapshot(done));
            }
        }
        finally
        {
            model.Eval();
        }
        TrainingProgress final = Snapshot(options.Steps);
        onProgress?.Invoke(final);
        return final;
    }

    private static float OwnStep(TransformerLanguageModel model, SimCseBatch batch, ReadOnlySpan<int> examples, Device device, Tensor logScale, float inverseTemperature)
    {
        using Tensor pooling = batch.Fill(examples);
        using Tensor weights = pooling.To(device);
        Tensor loss = Loss(Embed(model, batch, weights), examples.Length, batch.Negatives, logScale, inverseTemperature);
        float value = loss.Item();
        loss.Backward();
        return value;
    }

    /// <summary>This rank's examples encoded, the whole batch's loss over every rank's sentence vectors, the gradients summed across ranks; returns the loss.</summary>
    private static float ShareStep(TransformerLanguageModel model, SimCseBatch batch, ReadOnlySpan<int> examples, DataParallelStep ranks,
        IReadOnlyList<Tensor> parameters, Tensor logScale, float inverseTemperature)
    {
        int n = examples.Length;
        var shares = new (int First, int Count)[ranks.Size];
        for (int r = 0; r < shares.Length; r++) shares[r] = ranks.Share(n, r);
        int[] order = batch.RanksOrder(examples, shares);
        (int first, int count) = shares[ranks.Rank];
        // Padded as the whole batch is, so that each sequence takes the dropout masks it takes in one process.
        using Tensor weights = batch.Fill(examples.Slice(first, count), batch.LongestOf(examples));
        // This rank's sequences start where its first anchor lies among the ranks' stacked sequences.
        int start = order[first];
        int[] places = new int[batch.Sequences];
        for (int row = 0; row < order.Length; row++)
            if (order[row] >= start && order[row] < start + places.Length) places[order[row] - start] = row;
        Tensor mine;
        using (Dropout.AtRows(places)) mine = Embed(model, batch, weights);
        using GatheredRows gathered = ranks.GatherRows();
        Tensor unit = Ops.Embedding(gathered.Of(mine, start), order);
        Tensor loss = Loss(unit, n, order.Length - 2 * n, logScale, inverseTemperature);
        float value = loss.Item();
        // The temperature is fixed: no parameter enters the loss directly.
        ranks.BackwardWhole(loss, parameters, []);
        return value;
    }

    /// <summary>The batch's sequences' mean-pooled, normalized vectors [sequences, dimension].</summary>
    private static Tensor Embed(TransformerLanguageModel model, SimCseBatch batch, Tensor weights)
    {
        TransformerStack stack = model.Stack;
        Tensor states = stack.FinalNorm.Forward(stack.Forward(batch.Tokens, batch.Sequences, batch.Length, batch.Lengths));
        Tensor pooled = Ops.MatMul(weights, states).Reshape(batch.Sequences, stack.Dimension);
        return Ops.L2Normalize(pooled);
    }

    /// <summary>The step's contrastive loss over the vectors of <paramref name="n"/> anchors, their positives, then <paramref name="negatives"/> hard negatives.</summary>
    private static Tensor Loss(Tensor unit, int n, int negatives, Tensor logScale, float inverseTemperature) =>
        Ops.InfoNce(unit.Slice(0, 0, n), unit.Slice(0, n, n + negatives), logScale, inverseTemperature, negatives);
}
