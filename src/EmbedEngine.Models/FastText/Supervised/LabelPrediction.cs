namespace EmbedEngine.Models.FastText.Supervised;

/// <summary>One predicted label of a line.</summary>
/// <param name="Label">The label, prefix included (e.g. <c>__label__spam</c>).</param>
/// <param name="Probability">The model's probability of the label, 0..1.</param>
public sealed record LabelPrediction(string Label, float Probability);
