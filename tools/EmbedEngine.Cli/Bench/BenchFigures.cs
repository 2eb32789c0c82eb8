using EmbedEngine.Evaluation;
using EmbedEngine.Evaluation.Transfer;

namespace EmbedEngine.Cli.Bench;

/// <summary>Turns evaluation reports into figures with their coverage and bootstrap interval.</summary>
internal static class BenchFigures
{
    /// <summary>The names of the three summary figures, ahead of the sections.</summary>
    public const string Overall = "overall", Semantic = "semantic", Syntactic = "syntactic";

    /// <summary>Accuracy overall, semantic, syntactic, then per section.</summary>
    public static IReadOnlyList<BenchFigure> Analogy(AnalogyReport report, QualitySettings settings)
    {
        var figures = new List<BenchFigure>
        {
            Accuracy(Overall, report.Correct, report.Answered, report.Answered + report.Skipped, settings),
            Sum(Semantic, report.Sections.Where(s => !s.IsSyntactic), settings),
            Sum(Syntactic, report.Sections.Where(s => s.IsSyntactic), settings),
        };
        figures.AddRange(report.Sections.Select(s => Accuracy(s.Name, s.Correct, s.Answered, s.Answered + s.Skipped, settings)));
        return figures;
    }

    /// <summary>The Spearman correlation of the found pairs (those in <paramref name="onlyLines"/> when given).</summary>
    public static BenchFigure Similarity(ScoredPairs pairs, IReadOnlySet<int>? onlyLines, QualitySettings settings)
    {
        SimilarityReport report = pairs.ToReport(onlyLines);
        ScoredPair[] scored = [.. pairs.Found.Where(pair => onlyLines is null || onlyLines.Contains(pair.Line))];
        ConfidenceInterval interval = Bootstrap.Spearman([.. scored.Select(p => p.Human)], [.. scored.Select(p => p.Cosine)],
            settings.Resamples, settings.Seed);
        return new BenchFigure(report.Name, report.Spearman, interval, report.Found, report.Pairs);
    }

    /// <summary>The test accuracy, its interval (already resampled by the evaluation), the documents covered of those tested.</summary>
    public static BenchFigure Transfer(string name, TransferReport report) =>
        new(name, report.Accuracy, report.Interval, report.Covered, report.Tested);

    private static BenchFigure Sum(string name, IEnumerable<AnalogySection> sections, QualitySettings settings)
    {
        int correct = 0, answered = 0, total = 0;
        foreach (AnalogySection section in sections)
        {
            correct += section.Correct;
            answered += section.Answered;
            total += section.Answered + section.Skipped;
        }
        return Accuracy(name, correct, answered, total, settings);
    }

    private static BenchFigure Accuracy(string name, int correct, int answered, int total, QualitySettings settings) =>
        new(name, answered == 0 ? double.NaN : (double)correct / answered,
            Bootstrap.Accuracy(correct, answered, settings.Resamples, settings.Seed), answered, total);
}
