using System.Net;
using System.Text;

namespace EmbedEngine.Cli.Bench;

/// <summary>report.html: the same tables as report.md, plus the bar charts as inline SVG, in one self-contained file.</summary>
internal static class HtmlReport
{
    private const string Style =
        "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}" +
        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}th{background:#f4f4f4}";

    public static string Render(QualityResults results, IReadOnlyList<BenchTable> tables, IReadOnlyList<string> svgCharts)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>embed bench quality</title><style>")
            .Append(Style).Append("</style></head><body>\n<h1>embed bench quality</h1>\n<p>")
            .Append(WebUtility.HtmlEncode(BenchSummary.Describe(results))).Append("</p>\n");
        foreach (string svg in svgCharts) html.Append("<figure>").Append(svg).Append("</figure>\n");
        foreach (BenchTable table in tables)
        {
            html.Append("<h2>").Append(WebUtility.HtmlEncode(table.Title)).Append("</h2>\n<table>\n");
            AppendRow(html, table.Header, "th");
            foreach (string[] row in table.Rows) AppendRow(html, row, "td");
            html.Append("</table>\n");
        }
        return html.Append("</body></html>\n").ToString();
    }

    private static void AppendRow(StringBuilder html, IReadOnlyList<string> cells, string tag)
    {
        html.Append("<tr>");
        foreach (string cell in cells) html.Append('<').Append(tag).Append('>').Append(WebUtility.HtmlEncode(cell)).Append("</").Append(tag).Append('>');
        html.Append("</tr>\n");
    }
}
