using EmbedEngine.Kernels.Dense;
using EmbedEngine.Models.Training;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.IO;
using EmbedEngine.Tensors.Optimizers;

namespace EmbedEngine.Models.Contextual.Elmo;

/// <summary>One validation of a bidirectional language model during training.</summary>
/// <param name="Iteration">Updates done before it.</param>
/// <param name="Result">Both directions' loss over the validation words.</param>
public sealed record BiLmValidation(int Iteration, BiLmEvaluation Result);

/// <summary>
/// Trains a <see cref="BidirectionalLanguageModel"/> on random windows of <see cref="BiLmConfig.Context"/> + 1 words
/// (<see cref="BiLmTrainingOptions"/>), validating at iteration 0, every evaluation interval and after the last
/// update. Elapsed times and rates count training only; progress counts predicted words of both directions. The model
/// and the optimizer live on <see cref="BiLmTrainingOptions.Device"/>, where the model stays (a checkpoint saved from
/// there loads on any device). As one rank of data-parallel training every rank draws the whole batch of windows
/// (the same windows, from the same seed), computes the loss of its share and sums the gradients across ranks before
/// the clipping and the update, so every rank takes the step one process takes.
/// </summary>
public static class BiLmTrainer
{
    /// <summary>
    /// Trains <paramref name="model"/> in place; returns the last snapshot and every validation. With
    /// <paramref name="checkpoint"/> it writes checkpoints (steps are iterations) and resumes from one (null: neither).
    /// With <paramref name="ranks"/> (null: one process) it trains this rank's share of each batch; dropout masks are
    /// drawn per rank, so only runs without dropout follow one process's run to float rounding. Every rank validates.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid or a text is shorter than one window.</exception>
    /// <exception cref="InvalidDataException">The checkpoint to resume from is broken, or of another model, other options or text.</exception>
    public static (TrainingProgress Final, IReadOnlyList<BiLmValidation> Validations) Train(BidirectionalLanguageModel model,
        IReadOnlyList<string> training, IReadOnlyList<string> validation, BiLmTrainingOptions options,
        Action<TrainingProgress>? onProgress, Action<BiLmValidation>? onValidation, TimeSpan interval, CancellationToken cancellation,
        CheckpointSettings? checkpoint = null, DataParallelStep? ranks = null)
    {
        options.Validate();
        int span = model.Config.Context + 1, batch = options.BatchSize;
        if (training.Count < span) throw new ArgumentException($"The training text has {training.Count} words; one window needs {span}.");
        TensorSettings.Threads = options.Threads;
        // Before the optimizer, whose state is made beside the parameters.
        model.To(Device.Open(options.Device));
        using var optimizer = new Adam(model.Parameters(), new AdamSettings(options.LearningRate, 0.9f, 0.999f, 1e-8f, 0f, Decoupled: true));
        var schedule = new WarmupCosineSchedule(options.LearningRate, options.MinLearningRate, options.WarmupIterations, options.Iterations);
        var random = new FastRandom((ulong)options.Seed);
        var checkpoints = checkpoint == null ? null : new NetworkCheckpoint(checkpoint, "an ELMo-like biLM", Identity(model, training, options), model, optimizer);
        using (SafetensorsContents? saved = checkpoints?.Restore())
            if (saved != null) random = new FastRandom(NetworkCheckpoint.RandomState(saved));
        var windows = new string[batch * span];
        // The batch is at least the job's size (DataParallelStep refuses less), so every rank has windows.
        (int firstWindow, int shareWindows) = ranks?.Share(batch) ?? (0, batch);
        var share = new string[shareWindows * span];
        var validations = new List<BiLmValidation>();
        float learningRate = schedule.At(0);
        double Validate(int iteration)
        {
            var point = new BiLmValidation(iteration, BiLmEvaluation.Measure(model, validation));
            validations.Add(point);
            onValidation?.Invoke(point);
            return (point.Result.ForwardLoss + point.Result.BackwardLoss) / 2;
        }
        float Step(int iteration)
        {
            for (int b = 0; b < batch; b++)
            {
                int start = random.NextInt(training.Count - span + 1);
                for (int i = 0; i < span; i++) windows[b * span + i] = training[start + i];
            }
            optimizer.ZeroGrad();
            float loss;
            if (ranks == null)
            {
                var (forward, backward) = model.Loss(windows, batch, span);
                loss = (forward.Item() + backward.Item()) / 2;
                Ops.Scale(Ops.Add(forward, backward), 0.5f).Backward();
            }
            else
            {
                windows.AsSpan(firstWindow * span, share.Length).CopyTo(share);
                var (forward, backward) = model.Loss(share, shareWindows, span);
                // Both losses are means over the share's windows, each as long as the others: each rank weighs by its windows.
                loss = (float)ranks.Backward(Ops.Scale(Ops.Add(forward, backward), 0.5f), optimizer.Parameters,
                    (forward.Item() + backward.Item()) / 2, shareWindows, batch);
            }
            optimizer.ClipGradientNorm(options.ClipNorm);
            learningRate = schedule.At(iteration);
            optimizer.Settings = optimizer.Settings with { LearningRate = learningRate };
            optimizer.Step();
            if (checkpoints?.Due == true) checkpoints.Save(random.State);
            return loss;
        }

        model.Train();
        TrainingProgress final = ValidatedIterations.Run(options.Iterations, options.EvalInterval, 2L * batch * (span - 1), Step, () => learningRate,
            Validate, onProgress, interval, cancellation, firstIteration: optimizer.Steps);
        return (final, validations);
    }

    /// <summary>
    /// What a run must share to be resumed or to train beside other ranks: the recipe, the initial weights and the
    /// training words. Not the thread count, which the results do not depend on.
    /// </summary>
    public static string Identity(BidirectionalLanguageModel model, IReadOnlyList<string> training, BiLmTrainingOptions options) =>
        $"{options with { Threads = 0 }}, {NetworkCheckpoint.WeightsIdentity(model)}, training words {DataIdentity.Of(training)}";
}
