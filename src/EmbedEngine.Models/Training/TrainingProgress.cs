namespace EmbedEngine.Models.Training;

/// <summary>A snapshot of a running training job, for progress bars and metrics logs.</summary>
/// <param name="WordsProcessed">Corpus words consumed so far, over all epochs.</param>
/// <param name="TotalWords">Words the whole run will consume.</param>
/// <param name="Epoch">The epoch being trained, 1-based.</param>
/// <param name="LearningRate">The current learning rate; NaN for a method without one.</param>
/// <param name="Loss">Mean loss per prediction since the previous snapshot; repeats the previous value when nothing new was trained, NaN before anything was.</param>
/// <param name="Elapsed">Time since training started.</param>
public sealed record TrainingProgress(long WordsProcessed, long TotalWords, int Epoch, float LearningRate, double Loss, TimeSpan Elapsed)
{
    /// <summary>The latest validation loss, for trainers that validate as they go; NaN before the first validation or without one.</summary>
    public double ValidationLoss { get; init; } = double.NaN;

    /// <summary>A contrastive model's logit scale (CLIP's exp t); NaN for other models.</summary>
    public double LogitScale { get; init; } = double.NaN;

    /// <summary>Fraction done, 0..1.</summary>
    public double Fraction => TotalWords == 0 ? 1 : Math.Min(1, (double)WordsProcessed / TotalWords);

    /// <summary>Words a resumed run's checkpoint had already trained (0: a fresh run): not part of this run's rate.</summary>
    public long ResumedWords { get; init; }

    /// <summary>Words per second this run has trained since it started (or resumed).</summary>
    public double WordsPerSecond => Elapsed.TotalSeconds > 0 ? (WordsProcessed - ResumedWords) / Elapsed.TotalSeconds : 0;

    /// <summary>Estimated time left at the rate so far.</summary>
    public TimeSpan Remaining => WordsPerSecond > 0
        ? TimeSpan.FromSeconds((TotalWords - WordsProcessed) / WordsPerSecond)
        : TimeSpan.Zero;
}
