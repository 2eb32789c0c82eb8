using EmbedEngine.Models.Training;

namespace EmbedEngine.Models.FastText;

/// <summary>A trained fastText model and how its training ended.</summary>
/// <param name="Model">The model: what fastText's .bin holds, with vectors for seen and unseen words.</param>
/// <param name="Final">Progress at the end of training (words, rate, final loss).</param>
public sealed record FastTextResult(FastTextModel Model, TrainingProgress Final) : IDisposable
{
    /// <summary>Frees the model's matrices.</summary>
    public void Dispose() => Model.Dispose();
}
