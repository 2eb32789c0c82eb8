using System.Text;

namespace EmbedEngine.Cli.Bench;

/// <summary>report.md: the settings, then every table.</summary>
internal static class MarkdownReport
{
    public static string Render(QualityResults results, IReadOnlyList<BenchTable> tables)
    {
        var text = new StringBuilder();
        text.Append("# embed bench quality\n\n").Append(BenchSummary.Describe(results)).Append("\n\n");
        foreach (BenchTable table in tables)
        {
            text.Append("## ").Append(table.Title).Append("\n\n");
            AppendRow(text, table.Header);
            AppendRow(text, [.. table.Header.Select(_ => "---")]);
            foreach (string[] row in table.Rows) AppendRow(text, row);
            text.Append('\n');
        }
        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, IReadOnlyList<string> cells) =>
        text.Append("| ").AppendJoin(" | ", cells.Select(cell => cell.Replace("|", "\\|", StringComparison.Ordinal)))
            .Append(" |\n");
}
