using System.Globalization;

namespace EmbedEngine.Evaluation.Multimodal;

/// <summary>The result of a linear probe: a logistic-regression classifier trained on frozen embeddings.</summary>
/// <param name="TrainAccuracy">Accuracy on the training split.</param>
/// <param name="TestAccuracy">Accuracy on the test split.</param>
/// <param name="Iterations">L-BFGS steps taken.</param>
/// <param name="FinalLoss">The training loss at the end: mean cross-entropy + (λ/2)‖W‖².</param>
/// <param name="Converged">Whether the gradient reached the tolerance.</param>
/// <param name="Classes">C, the number of classes.</param>
/// <param name="Dimension">d, the embedding dimension.</param>
/// <param name="L2">λ, the L2 penalty on the weights.</param>
public sealed record LinearProbeReport(double TrainAccuracy, double TestAccuracy, int Iterations, double FinalLoss,
    bool Converged, int Classes, int Dimension, double L2)
{
    /// <summary>One line of text (invariant culture): both accuracies, then how the fit went.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"linear probe: train {ZeroShotReport.Percent(TrainAccuracy)}, test {ZeroShotReport.Percent(TestAccuracy)} " +
        $"({Classes} classes, {Dimension} features, lambda {L2:G4}, {Iterations} iterations, loss {FinalLoss:F6}, " +
        $"{(Converged ? "converged" : "not converged")})");
}
