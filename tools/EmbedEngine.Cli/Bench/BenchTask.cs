using System.Globalization;

namespace EmbedEngine.Cli.Bench;

/// <summary>One column family of the quality report: how its figures are named in results.json, tabled and charted.</summary>
/// <param name="Key">The figures' object in results.json.</param>
/// <param name="Title">The table's heading, which says the unit, the interval and what the coverage counts.</param>
/// <param name="RowName">The name of the table's first column (what a figure is: a section, a set, a measure).</param>
/// <param name="Format">A figure's value as table text.</param>
/// <param name="HasInterval">Whether the figures carry a bootstrap interval (a perplexity does not).</param>
/// <param name="ChartTitle">The bar chart's title; null: no chart (figures in different units).</param>
/// <param name="ChartScale">What a value is multiplied by on the chart (100 for a share drawn as %).</param>
/// <param name="ChartGroups">How many figures the chart shows, first first (the analogy summary, not every section).</param>
internal sealed record BenchTask(string Key, string Title, string RowName, Func<double, string> Format, bool HasInterval,
    string? ChartTitle, double ChartScale = 1, int ChartGroups = int.MaxValue);

/// <summary>The report's tasks, in report order.</summary>
internal static class BenchTasks
{
    /// <summary>What a table shows for a figure a model lacks or that is undefined: never 0, which would read as a score.</summary>
    public const string Missing = "—";

    public static readonly BenchTask Analogy = new("analogy_accuracy", "Word analogy: accuracy % [95% CI] (answered/questions)", "section",
        Percent, true, "Word analogy accuracy (%) with 95% intervals", 100, ChartGroups: 3);

    public static readonly BenchTask Similarity = new("similarity_spearman", "Word similarity: Spearman [95% CI] (pairs found/pairs)", "set",
        Correlation, true, "Word similarity Spearman with 95% intervals");

    public static readonly BenchTask Sts = new("sts_spearman_x100",
        "STS and SICK relatedness: Spearman x100, mean over the group's files [95% CI] (pairs with both sentences encoded/pairs)", "group",
        Hundredths, true, "STS / SICK-R Spearman x100 with 95% intervals");

    public static readonly BenchTask Transfer = new("transfer_accuracy",
        "SpamAssassin transfer (accuracy): % [95% CI] (test documents covered/test documents)", "task",
        Percent, true, "SpamAssassin transfer accuracy (%) with 95% intervals", 100);

    public static readonly BenchTask LanguageModel = new("language_model",
        "Language modelling on the held-out text: value, no interval (tokens or words predicted/in the text; per word or character: all of them)", "measure", Thousandths, false, null);

    public static readonly BenchTask MaskedAccuracy = new("masked_token_accuracy",
        "Masked-token accuracy on the held-out text: % [95% CI over masked positions] (masked positions/tokens in the text)", "measure",
        Percent, true, "Masked-token accuracy (%) with 95% intervals", 100);

    public static readonly BenchTask ImageText = new("image_text",
        "Image-text (MNIST test digits): % [95% CI] (test items scored/test items)", "measure",
        Percent, true, "Zero-shot, retrieval and linear-probe accuracy (%) with 95% intervals", 100);

    public static readonly IReadOnlyList<BenchTask> All = [Analogy, Similarity, Sts, Transfer, LanguageModel, MaskedAccuracy, ImageText];

    private static string Percent(double share) => Fixed(100 * share, "F2");

    private static string Correlation(double rho) => Fixed(rho, "F3");

    private static string Hundredths(double value) => Fixed(value, "F2");

    private static string Thousandths(double value) => Fixed(value, "F3");

    private static string Fixed(double value, string format) =>
        double.IsNaN(value) ? Missing : value.ToString(format, CultureInfo.InvariantCulture);
}
