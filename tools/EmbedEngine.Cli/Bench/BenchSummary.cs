using System.Globalization;

namespace EmbedEngine.Cli.Bench;

/// <summary>The one paragraph that says how the figures were obtained, shared by the Markdown and HTML reports.</summary>
internal static class BenchSummary
{
    public static string Describe(QualitySettings settings)
    {
        string coverage = settings.CommonVocabulary
            ? "Common vocabulary: only the questions and pairs every loaded model covers are scored."
            : "Each model is scored on the questions and pairs its own vocabulary covers.";
        return string.Create(CultureInfo.InvariantCulture,
            $"Data: {settings.DataFolder}. Intervals: 95% percentile bootstrap, {settings.Resamples} resamples, seed {settings.Seed}. Analogy: 3CosAdd over the {settings.Restrict} most frequent words. {coverage}");
    }
}
