using System.Globalization;

namespace EmbedEngine.Evaluation.Transfer;

/// <summary>The result of a transfer task: a logistic-regression classifier on sentence vectors, scored on the test split.</summary>
/// <param name="Accuracy">Share of test documents classified right; every test document counts (one with no known word is classified from the zero vector).</param>
/// <param name="Interval">The bootstrap interval of <paramref name="Accuracy"/>, resampling test documents.</param>
/// <param name="Correct">Test documents classified right.</param>
/// <param name="Tested">Test documents.</param>
/// <param name="Covered">Test documents with at least one word the encoder knows (a non-zero vector).</param>
/// <param name="MajorityRate">The accuracy of always answering the training split's most frequent class.</param>
/// <param name="L2">λ, the L2 penalty the validation split chose.</param>
/// <param name="ValidationAccuracy">The accuracy with <paramref name="L2"/> on the validation split.</param>
/// <param name="TrainDocuments">Training documents (the validation split included).</param>
/// <param name="Dimension">Features per document.</param>
public sealed record TransferReport(double Accuracy, ConfidenceInterval Interval, int Correct, int Tested, int Covered,
    double MajorityRate, double L2, double ValidationAccuracy, int TrainDocuments, int Dimension)
{
    /// <summary>One line of text (invariant culture): the accuracy with its interval and coverage, then how the classifier was chosen.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"transfer accuracy {100 * Accuracy:F2}% [{100 * Interval.Lower:F2}, {100 * Interval.Upper:F2}] ({Correct}/{Tested}; " +
        $"{Covered}/{Tested} documents covered; majority class {100 * MajorityRate:F2}%; lambda {L2:G4} chosen on validation " +
        $"{100 * ValidationAccuracy:F2}%; {TrainDocuments} training documents, {Dimension} features)");
}
