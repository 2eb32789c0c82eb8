using EmbedEngine.Evaluation.Multimodal;
using EmbedEngine.Models.Multimodal;

namespace EmbedEngine.Cli.Bench;

/// <summary>
/// A CLIP-like model's figures as <c>embed eval clip</c> measures them with its default prompts: zero-shot top-1,
/// Recall@K each way and the linear probe's test accuracy, each a share of the test items with an accuracy interval
/// (Recall@K's approximate, <see cref="Share"/>).
/// </summary>
internal static class ImageTextFigures
{
    public static IReadOnlyList<BenchFigure> Measure(ClipModel model, CaptionedDigits training, CaptionedDigits test, QualitySettings settings)
    {
        ImageTextReport report = ImageTextEvaluation.Evaluate(model, training, test, DigitCaptioner.ClassPrompts(DigitCaptioner.TrainingTemplates));
        var figures = new List<BenchFigure> { BenchFigures.Accuracy("zero-shot top-1", report.ZeroShot.Correct, report.ZeroShot.Total, report.ZeroShot.Total, settings) };
        RetrievalReport retrieval = report.Retrieval;
        for (int k = 0; k < retrieval.Ks.Count; k++)
            figures.Add(Share($"image->text R@{retrieval.Ks[k]}", retrieval.ImageToText[k], retrieval.Pairs, settings));
        for (int k = 0; k < retrieval.Ks.Count; k++)
            figures.Add(Share($"text->image R@{retrieval.Ks[k]}", retrieval.TextToImage[k], retrieval.Pairs, settings));
        figures.Add(Share("linear probe (test)", report.Probe.TestAccuracy, test.Count, settings));
        return figures;
    }

    /// <summary>
    /// A share of <paramref name="items"/> as the report gives it. Recall@K is an expectation over tie-breaks, so not a
    /// whole count: the interval resamples the nearest count of hits, which puts it within half an item of exact.
    /// </summary>
    private static BenchFigure Share(string name, double ratio, int items, QualitySettings settings) =>
        BenchFigures.Accuracy(name, (int)Math.Round(ratio * items), items, items, settings) with { Value = ratio };
}
