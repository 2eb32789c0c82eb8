namespace EmbedEngine.Cli.Bench;

/// <summary>An aligned plain-text table for the terminal and for redirected output alike.</summary>
internal static class PlainTable
{
    /// <summary>
    /// One line per row, header first; the first <paramref name="textColumns"/> columns are left-aligned names, the
    /// rest right-aligned numbers, so their digits line up.
    /// </summary>
    public static string Render(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, int textColumns)
    {
        var lines = new List<IReadOnlyList<string>> { header };
        lines.AddRange(rows);
        int[] widths = [.. Enumerable.Range(0, header.Count).Select(c => lines.Max(r => r[c].Length))];
        var text = new StringWriter();
        foreach (IReadOnlyList<string> row in lines)
            text.WriteLine(string.Join("  ", row.Select((cell, c) => c < textColumns ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
        return text.ToString();
    }
}
