using EmbedEngine.Evaluation;
using EmbedEngine.Evaluation.Sentence;
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

    /// <summary>
    /// Per group (STS12, STS13, STS14, SICK-R), the Spearman x100 that <c>embed eval sts</c> reports (the mean over the
    /// group's files) with a bootstrap that resamples each file's pairs; covered: pairs whose two sentences were encoded.
    /// </summary>
    public static IReadOnlyList<BenchFigure> Sts(IReadOnlyList<StsScores> scored, QualitySettings settings) =>
        [.. StsEvaluator.Summarize(scored).Groups.Select(group =>
        {
            StsScores[] files = [.. scored.Where(file => file.Group == group.Group)];
            ConfidenceInterval interval = Bootstrap.MeanSpearman([.. files.Select(file => (file.Cosines, file.Gold))], settings.Resamples, settings.Seed);
            return new BenchFigure(group.Group, group.Spearman, new ConfidenceInterval(100 * interval.Lower, 100 * interval.Upper),
                files.Sum(file => file.Encoded), group.Pairs);
        })];

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

    /// <summary>The share <paramref name="correct"/> / <paramref name="answered"/> with its interval; answered of <paramref name="total"/> covered.</summary>
    public static BenchFigure Accuracy(string name, int correct, int answered, int total, QualitySettings settings) =>
        new(name, answered == 0 ? double.NaN : (double)correct / answered,
            Bootstrap.Accuracy(correct, answered, settings.Resamples, settings.Seed), answered, total);
}
