using EmbedEngine.Evaluation;
using ScottPlot;

namespace EmbedEngine.Cli.Bench;

/// <summary>Grouped bar charts with the bootstrap intervals as error bars, one group per figure, one bar per model.</summary>
internal static class BenchCharts
{
    private const int Width = 900, Height = 420;

    /// <summary>One chart per task that has one and a figure of any model, as inline SVG; none without a scored model.</summary>
    public static IReadOnlyList<string> Render(QualityResults results)
    {
        ModelOutcome[] scored = [.. results.Scored];
        return [.. BenchTasks.All
            .Where(task => task.ChartTitle is not null)
            .Select(task => (Task: task, Groups: BenchTables.FigureNames(task, scored).Take(task.ChartGroups).ToArray()))
            .Where(chart => chart.Groups.Length > 0)
            .Select(chart => Chart(chart.Task, chart.Groups, scored))];
    }

    /// <summary>Bars of the models that have these figures; a model keeps its colour (its place among all scored models) across charts.</summary>
    private static string Chart(BenchTask task, string[] groups, ModelOutcome[] models)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int[] drawn = [.. Enumerable.Range(0, models.Length).Where(m => models[m].Of(task).Any(f => groups.Contains(f.Name)))];
        // Bars of one group sit side by side within one unit, leaving a gap of one bar between groups.
        double barWidth = 1.0 / (drawn.Length + 1);
        var bars = new List<Bar>();
        var intervals = new List<(double X, double Lower, double Upper)>();
        for (int slot = 0; slot < drawn.Length; slot++)
        {
            ModelOutcome model = models[drawn[slot]];
            Color colour = palette.GetColor(drawn[slot]);
            for (int g = 0; g < groups.Length; g++)
            {
                if (model.Of(task).FirstOrDefault(f => f.Name == groups[g]) is not { } figure || double.IsNaN(figure.Value)) continue;
                double position = g + (slot - (drawn.Length - 1) / 2.0) * barWidth;
                bars.Add(new Bar { Position = position, Value = task.ChartScale * figure.Value, Size = barWidth, FillColor = colour });
                ConfidenceInterval interval = figure.Interval;
                if (!double.IsNaN(interval.Lower)) intervals.Add((position, task.ChartScale * interval.Lower, task.ChartScale * interval.Upper));
            }
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = model.Label, FillColor = colour });
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
        plot.Title(task.ChartTitle!);
        return plot.GetSvgXml(Width, Height);
    }
}
