using EmbedEngine.Evaluation;
using ScottPlot;

namespace EmbedEngine.Cli.Bench;

/// <summary>Grouped bar charts with the bootstrap intervals as error bars, one group per figure, one bar per model.</summary>
internal static class BenchCharts
{
    private const int Width = 900, Height = 420;

    /// <summary>The analogy summary (overall, semantic, syntactic), the similarity sets and the transfer task, as inline SVG; none without a scored model.</summary>
    public static IReadOnlyList<string> Render(QualityResults results)
    {
        ModelOutcome[] scored = [.. results.Scored];
        var charts = new List<string>();
        if (scored.Length == 0) return charts;
        if (scored[0].Analogy.Count > 0)
            charts.Add(Chart("Word analogy accuracy (%) with 95% intervals", scored, m => m.Analogy.Take(3), scale: 100));
        if (scored[0].Similarity.Count > 0)
            charts.Add(Chart("Word similarity Spearman with 95% intervals", scored, m => m.Similarity, scale: 1));
        if (scored[0].Transfer.Count > 0)
            charts.Add(Chart("SpamAssassin transfer accuracy (%) with 95% intervals", scored, m => m.Transfer, scale: 100));
        return charts;
    }

    private static string Chart(string title, ModelOutcome[] models, Func<ModelOutcome, IEnumerable<BenchFigure>> figuresOf, double scale)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        string[] groups = [.. figuresOf(models[0]).Select(f => f.Name)];
        // Bars of one group sit side by side within one unit, leaving a gap of one bar between groups.
        double barWidth = 1.0 / (models.Length + 1);
        var bars = new List<Bar>();
        var intervals = new List<(double X, double Lower, double Upper)>();
        for (int m = 0; m < models.Length; m++)
        {
            BenchFigure[] figures = [.. figuresOf(models[m])];
            for (int g = 0; g < groups.Length; g++)
            {
                BenchFigure figure = figures[g];
                if (double.IsNaN(figure.Value)) continue;
                double position = g + (m - (models.Length - 1) / 2.0) * barWidth;
                bars.Add(new Bar { Position = position, Value = scale * figure.Value, Size = barWidth, FillColor = palette.GetColor(m) });
                ConfidenceInterval interval = figure.Interval;
                if (!double.IsNaN(interval.Lower)) intervals.Add((position, scale * interval.Lower, scale * interval.Upper));
            }
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = models[m].Label, FillColor = palette.GetColor(m) });
        }
        plot.Add.Bars(bars);
        // ScottPlot's bar errors are symmetric; a percentile interval is not, so each is drawn as a capped segment.
        double cap = barWidth / 4;
        foreach ((double x, double lower, double upper) in intervals)
        {
            plot.Add.Line(x, lower, x, upper).Color = Colors.Black;
            plot.Add.Line(x - cap, lower, x + cap, lower).Color = Colors.Black;
            plot.Add.Line(x - cap, upper, x + cap, upper).Color = Colors.Black;
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, groups.Length).Select(g => (double)g)], groups);
        // Beside the plot, not inside it, where it would hide the tallest bars.
        plot.ShowLegend(Edge.Right);
        plot.Title(title);
        return plot.GetSvgXml(Width, Height);
    }
}
