using System.Globalization;
using EmbedEngine.Evaluation.Transfer;

namespace EmbedEngine.Cli.Bench;

/// <summary>The one paragraph that says how the figures were obtained, shared by the Markdown and HTML reports.</summary>
internal static class BenchSummary
{
    public static string Describe(QualityResults results)
    {
        QualitySettings settings = results.Settings;
        string coverage = settings.CommonVocabulary
            ? "Common vocabulary: only the questions and pairs every loaded model covers are scored."
            : "Each model is scored on the questions and pairs its own vocabulary covers.";
        string transfer = results.Skipped.Count > 0
            ? "Skipped: " + string.Join(" ", results.Skipped)
            : $"SpamAssassin transfer: logistic regression on each document's mean word vector, fitted on train.txt (L2 chosen on {100 * TransferEvaluator.ValidationShare:F0}% of it), accuracy over every test.txt document.";
        return string.Create(CultureInfo.InvariantCulture,
            $"Data: {settings.DataFolder}. Intervals: 95% percentile bootstrap, {settings.Resamples} resamples, seed {settings.Seed}. Analogy: 3CosAdd over the {settings.Restrict} most frequent words. {coverage} {transfer}");
    }
}
