using EmbedEngine.Models.Training;
using EmbedEngine.Tensors;

namespace EmbedEngine.Models.Contextual;

/// <summary>
/// Trains a language model on random windows of a token sequence (<see cref="ContextualTrainingOptions"/>),
/// validating over the whole validation sequence at iteration 0, every <see cref="ContextualTrainingOptions.EvalInterval"/>
/// iterations (before that iteration's update) and after the last update. Elapsed times and rates count training only.
/// The model and the optimizer live on <see cref="ContextualTrainingOptions.Device"/>; each step's token ids are
/// uploaded by the embedding and loss ops, and only the loss comes back.
/// </summary>
public static class ContextualTrainer
{
    /// <summary>
    /// Trains <paramref name="model"/> in place, first moving it to the options' device, where it stays (a checkpoint
    /// saved from there loads on any device); progress counts training tokens (windows × positions).
    /// </summary>
    /// <param name="model">The model, freshly built or loaded to train further.</param>
    /// <param name="training">Token ids of the training text.</param>
    /// <param name="validation">Token ids of the validation text.</param>
    /// <param name="options">The recipe.</param>
    /// <param name="onProgress">Snapshots about every <paramref name="interval"/>, and after each validation.</param>
    /// <param name="onValidation">Each validation as it is done.</param>
    /// <param name="interval">Time between snapshots.</param>
    /// <param name="cancellation">Stops between steps.</param>
    /// <param name="checkpoint">Writes checkpoints (steps are iterations) and resumes from one; null: neither.</param>
    /// <param name="ranks">
    /// This rank's part in synchronous data-parallel training (null: one process): every rank draws the same batches
    /// and trains its share of the windows, so N ranks follow one process's run to float rounding (dropout masks are
    /// drawn per rank, so only runs without dropout match). Every rank validates.
    /// </param>
    /// <exception cref="ArgumentException">The options are invalid, name a device that is not there, or a text is too short for one window.</exception>
    /// <exception cref="InvalidDataException">The checkpoint to resume from is broken, or of another model, other options or text.</exception>
    public static ContextualTrainingResult Train(LanguageModel model, int[] training, int[] validation, ContextualTrainingOptions options,
        Action<TrainingProgress>? onProgress, Action<ValidationPoint>? onValidation, TimeSpan interval, CancellationToken cancellation,
        CheckpointSettings? checkpoint = null, DataParallelStep? ranks = null)
    {
        options.Validate();
        TensorSettings.Threads = options.Threads;
        Device device = Device.Open(options.Device);
        // Before the optimizer, whose state is made beside the parameters.
        model.To(device);
        using var step = new ContextualTrainingStep(model, training, options, checkpoint, ranks);
        int done = step.Resume();
        var validations = new List<ValidationPoint>();
        double Validate(int iteration)
        {
            var point = new ValidationPoint(iteration, ContextualEvaluation.Evaluate(model, validation, options.BatchSize, options.MaskProbability));
            validations.Add(point);
            onValidation?.Invoke(point);
            return point.Result.MeanLoss;
        }

        model.Train();
        TrainingProgress final = ValidatedIterations.Run(options.Iterations, options.EvalInterval, step.TokensPerStep, step.Step, () => step.LearningRate,
            Validate, onProgress, interval, cancellation, done);
        return new ContextualTrainingResult(final, validations);
    }

    /// <summary>
    /// What a run must share to be resumed or to train beside other ranks: the recipe, the initial weights and the
    /// training text. Not the thread count, which the results do not depend on.
    /// </summary>
    public static string Identity(LanguageModel model, int[] training, ContextualTrainingOptions options) =>
        $"{options with { Threads = 0 }}, {NetworkCheckpoint.WeightsIdentity(model)}, training tokens {DataIdentity.Of(training)}";
}
