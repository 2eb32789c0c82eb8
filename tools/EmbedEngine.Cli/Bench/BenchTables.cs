using System.Globalization;

namespace EmbedEngine.Cli.Bench;

/// <summary>A table of the report as text cells, rendered alike as Markdown and HTML.</summary>
/// <param name="Title">The heading above the table.</param>
/// <param name="Header">The column names.</param>
/// <param name="Rows">The cells, one array per row, as long as <paramref name="Header"/>.</param>
internal sealed record BenchTable(string Title, IReadOnlyList<string> Header, IReadOnlyList<string[]> Rows);

/// <summary>The report's tables: the models and their status, then one table per task with a column per model.</summary>
internal static class BenchTables
{
    private const string Missing = "—";

    public static IReadOnlyList<BenchTable> Build(QualityResults results)
    {
        var tables = new List<BenchTable>
        {
            new("Models", ["model", "path", "status"], [.. results.Models.Select(m => new[]
            {
                m.Label, m.Path,
                m.Failure is null ? $"ok: {m.Words:N0} words, {m.Dimension} dimensions" : $"failed: {m.Failure}",
            })]),
        };
        ModelOutcome[] scored = [.. results.Scored];
        if (scored.Length == 0) return tables;
        tables.Add(FigureTable("Word analogy: accuracy % [95% CI] (answered/questions)", "section", scored,
            m => m.Analogy, Percent));
        tables.Add(FigureTable("Word similarity: Spearman [95% CI] (pairs found/pairs)", "set", scored,
            m => m.Similarity, Correlation));
        tables.Add(FigureTable("SpamAssassin transfer (accuracy): % [95% CI] (test documents covered/test documents)", "task", scored,
            m => m.Transfer, Percent));
        return [.. tables.Where(table => table.Rows.Count > 0)];
    }

    private static BenchTable FigureTable(string title, string rowName, ModelOutcome[] models,
        Func<ModelOutcome, IReadOnlyList<BenchFigure>> figuresOf, Func<double, string> format)
    {
        // Every scored model ran the same files, so the first one's figure names are every model's.
        string[] names = [.. figuresOf(models[0]).Select(f => f.Name)];
        var rows = names.Select((name, i) => (string[])[name, .. models.Select(m => Cell(figuresOf(m)[i], format))]);
        return new BenchTable(title, [rowName, .. models.Select(m => m.Label)], [.. rows]);
    }

    private static string Cell(BenchFigure figure, Func<double, string> format) =>
        $"{format(figure.Value)} [{format(figure.Interval.Lower)}, {format(figure.Interval.Upper)}] ({figure.Covered}/{figure.Total})";

    private static string Percent(double accuracy) =>
        double.IsNaN(accuracy) ? Missing : (100 * accuracy).ToString("F2", CultureInfo.InvariantCulture);

    private static string Correlation(double rho) =>
        double.IsNaN(rho) ? Missing : rho.ToString("F3", CultureInfo.InvariantCulture);
}
