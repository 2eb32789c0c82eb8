namespace EmbedEngine.Models.Contextual;

/// <summary>One validation during training.</summary>
/// <param name="Iteration">Updates done before it (0: the initial model; the last: after the final update).</param>
/// <param name="Result">The loss and accuracy over the whole validation split.</param>
public sealed record ValidationPoint(int Iteration, WindowEvaluation Result);
