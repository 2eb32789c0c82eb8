using EmbedEngine.Models.Training;

namespace EmbedEngine.Models.Contextual;

/// <summary>What a training run reports besides the model it trained.</summary>
/// <param name="Final">The last progress snapshot; its elapsed time and rate count training only, not validation.</param>
/// <param name="Validations">Every validation, in order.</param>
public sealed record ContextualTrainingResult(TrainingProgress Final, IReadOnlyList<ValidationPoint> Validations)
{
    /// <summary>Training tokens (windows × positions) per second of training, validation excluded.</summary>
    public double TokensPerSecond => Final.WordsPerSecond;
}
