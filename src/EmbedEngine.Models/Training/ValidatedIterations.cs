using System.Diagnostics;

namespace EmbedEngine.Models.Training;

/// <summary>
/// The loop of a trainer that takes a fixed number of steps and validates as it goes: validation at iteration 0,
/// every evaluation interval (before that iteration's step) and after the last step; progress snapshots about every
/// interval and after each validation, their loss the mean of the steps since the last snapshot. Elapsed time and
/// rates count the steps only, not validation.
/// </summary>
internal static class ValidatedIterations
{
    /// <summary>Runs the loop; returns the last snapshot.</summary>
    /// <param name="iterations">Steps to take.</param>
    /// <param name="evalInterval">Validation every this many steps.</param>
    /// <param name="unitsPerStep">What one step processes (tokens, words), for progress and rates.</param>
    /// <param name="step">Takes the step of an iteration (0-based) and returns its loss.</param>
    /// <param name="learningRate">The learning rate the snapshots report.</param>
    /// <param name="validate">Validates after the given number of steps and returns the validation loss.</param>
    /// <param name="onProgress">Snapshots.</param>
    /// <param name="interval">Time between snapshots.</param>
    /// <param name="cancellation">Stops between steps.</param>
    /// <param name="firstIteration">The iteration to start from: a resumed run's steps already done.</param>
    public static TrainingProgress Run(int iterations, int evalInterval, long unitsPerStep, Func<int, float> step, Func<float> learningRate,
        Func<int, double> validate, Action<TrainingProgress>? onProgress, TimeSpan interval, CancellationToken cancellation, int firstIteration = 0)
    {
        long total = iterations * unitsPerStep;
        var clock = new Stopwatch();
        TimeSpan nextReport = interval;
        double lossSum = 0, lastLoss = double.NaN, validationLoss = double.NaN;
        int lossCount = 0;
        TrainingProgress Snapshot(int iteration)
        {
            if (lossCount > 0) (lastLoss, lossSum, lossCount) = (lossSum / lossCount, 0, 0);
            return new TrainingProgress(iteration * unitsPerStep, total, iteration, learningRate(), lastLoss, clock.Elapsed)
            {
                ValidationLoss = validationLoss,
                ResumedWords = firstIteration * unitsPerStep,
            };
        }
        void Validate(int iteration)
        {
            validationLoss = validate(iteration);
            onProgress?.Invoke(Snapshot(iteration));
        }

        for (int iteration = firstIteration; iteration < iterations; iteration++)
        {
            cancellation.ThrowIfCancellationRequested();
            if (iteration % evalInterval == 0) Validate(iteration);
            clock.Start();
            lossSum += step(iteration);
            lossCount++;
            clock.Stop();
            if (onProgress != null && clock.Elapsed >= nextReport)
            {
                onProgress(Snapshot(iteration + 1));
                nextReport = clock.Elapsed + interval;
            }
        }
        Validate(iterations);
        return Snapshot(iterations);
    }
}
