using System.Diagnostics;
using EmbedEngine.Models.Training;
using EmbedEngine.Tensors;

namespace EmbedEngine.Models.Contextual;

/// <summary>
/// Trains a language model on random windows of a token sequence (<see cref="ContextualTrainingOptions"/>),
/// validating over the whole validation sequence at iteration 0, every <see cref="ContextualTrainingOptions.EvalInterval"/>
/// iterations (before that iteration's update) and after the last update. Elapsed times and rates count training only.
/// </summary>
public static class ContextualTrainer
{
    /// <summary>Trains <paramref name="model"/> in place; progress counts training tokens (windows × positions).</summary>
    /// <param name="model">The model, freshly built or loaded to train further.</param>
    /// <param name="training">Token ids of the training text.</param>
    /// <param name="validation">Token ids of the validation text.</param>
    /// <param name="options">The recipe.</param>
    /// <param name="onProgress">Snapshots about every <paramref name="interval"/>, and after each validation.</param>
    /// <param name="onValidation">Each validation as it is done.</param>
    /// <param name="interval">Time between snapshots.</param>
    /// <param name="cancellation">Stops between steps.</param>
    /// <exception cref="ArgumentException">The options are invalid or a text is too short for one window.</exception>
    public static ContextualTrainingResult Train(LanguageModel model, int[] training, int[] validation, ContextualTrainingOptions options,
        Action<TrainingProgress>? onProgress, Action<ValidationPoint>? onValidation, TimeSpan interval, CancellationToken cancellation)
    {
        options.Validate();
        TensorSettings.Threads = options.Threads;
        using var step = new ContextualTrainingStep(model, training, options);
        var validations = new List<ValidationPoint>();
        long total = (long)options.Iterations * step.TokensPerStep;
        var clock = new Stopwatch();
        TimeSpan nextReport = interval;
        double lossSum = 0, lastLoss = double.NaN, validationLoss = double.NaN;
        int lossCount = 0;
        TrainingProgress Snapshot(int iteration, float learningRate)
        {
            if (lossCount > 0) (lastLoss, lossSum, lossCount) = (lossSum / lossCount, 0, 0);
            return new TrainingProgress((long)iteration * step.TokensPerStep, total, iteration, learningRate, lastLoss, clock.Elapsed) { ValidationLoss = validationLoss };
        }
        void Validate(int iteration)
        {
            var point = new ValidationPoint(iteration, ContextualEvaluation.Evaluate(model, validation, options.BatchSize, options.MaskProbability));
            validations.Add(point);
            validationLoss = point.Result.MeanLoss;
            onValidation?.Invoke(point);
            onProgress?.Invoke(Snapshot(iteration, step.LearningRate));
        }

        model.Train();
        for (int iteration = 0; iteration < options.Iterations; iteration++)
        {
            cancellation.ThrowIfCancellationRequested();
            if (iteration % options.EvalInterval == 0) Validate(iteration);
            clock.Start();
            lossSum += step.Step(iteration);
            lossCount++;
            clock.Stop();
            if (onProgress != null && clock.Elapsed >= nextReport)
            {
                onProgress(Snapshot(iteration + 1, step.LearningRate));
                nextReport = clock.Elapsed + interval;
            }
        }
        Validate(options.Iterations);
        return new ContextualTrainingResult(Snapshot(options.Iterations, step.LearningRate), validations);
    }
}
