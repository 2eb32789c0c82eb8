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
            ? "Common vocabulary: only the questions and pairs every loaded word-vector model covers are scored."
            : "Each model is scored on the questions and pairs its own vocabulary covers.";
        string sentences = "Sentence vectors as 'embed eval sts' and 'embed eval transfer' make them by default: word vectors mean-pooled (a fastText .bin gives unseen words n-gram vectors), a biLM's layers mixed, a transformer's final layer mean-pooled, Doc2Vec inferred. " +
            "STS/SICK: Spearman x100 of sentence-vector cosines, the mean over each group's files, bootstrapped within each file. " +
            $"SpamAssassin transfer: logistic regression on each document's sentence vector, fitted on train.txt (L2 chosen on {100 * TransferEvaluator.ValidationShare:F0}% of it), accuracy over every test.txt document.";
        string perplexity = results.HeldOutText is (string path, int characters)
            ? $"Language models: 'embed eval perplexity' on the first {characters:N0} characters of {path} (cut at a word boundary); no interval."
            : "";
        string imageText = "Image-text: 'embed eval clip' on the MNIST-style test digits with the training prompt templates; Recall@K and probe accuracy are shares of the test items.";
        string skipped = results.Skipped.Count > 0 ? "Skipped: " + string.Join(" ", results.Skipped) : "";
        string[] parts =
        [
            $"Data: {settings.DataFolder}. Intervals: 95% percentile bootstrap, {settings.Resamples} resamples, seed {settings.Seed}. Analogy: 3CosAdd over the {settings.Restrict} most frequent words. {coverage}",
            sentences, perplexity, imageText, skipped,
        ];
        return string.Create(CultureInfo.InvariantCulture, $"{string.Join(" ", parts.Where(part => part.Length > 0))}");
    }
}
