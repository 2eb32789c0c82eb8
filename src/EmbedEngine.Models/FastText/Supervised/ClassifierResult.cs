using EmbedEngine.Models.Training;

namespace EmbedEngine.Models.FastText.Supervised;

/// <summary>A trained classifier and the last progress snapshot of its run.</summary>
/// <param name="Model">The classifier; the caller disposes it.</param>
/// <param name="Final">Tokens trained, time taken and the last loss.</param>
public sealed record ClassifierResult(ClassifierModel Model, TrainingProgress Final);
