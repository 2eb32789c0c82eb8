namespace EmbedEngine.Models.Contextual;

/// <summary>A model's loss over a whole token sequence.</summary>
/// <param name="MeanLoss">Mean cross-entropy per predicted token, in nats.</param>
/// <param name="Predictions">Tokens predicted (targets counted).</param>
/// <param name="Accuracy">Share of predicted tokens whose highest score is the target (next-token for GPT, masked-token for BERT).</param>
public sealed record WindowEvaluation(double MeanLoss, long Predictions, double Accuracy)
{
    /// <summary>The summed loss, in nats.</summary>
    public double TotalLoss => MeanLoss * Predictions;

    /// <summary>Predicted tokens whose highest score is the target: exact, as <see cref="Accuracy"/> is this count over <see cref="Predictions"/>.</summary>
    public long Correct => (long)Math.Round(Accuracy * Predictions);
}
