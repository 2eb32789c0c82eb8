namespace EmbedEngine.Cli.Bench;

/// <summary>A table of the report as text cells, rendered alike as Markdown and HTML.</summary>
/// <param name="Title">The heading above the table.</param>
/// <param name="Header">The column names.</param>
/// <param name="Rows">The cells, one array per row, as long as <paramref name="Header"/>.</param>
internal sealed record BenchTable(string Title, IReadOnlyList<string> Header, IReadOnlyList<string[]> Rows);

/// <summary>
/// The report's tables: the models and their status, then one table per task with a column per scored model; a
/// figure a model does not have (the task does not apply to it) shows <see cref="BenchTasks.Missing"/>.
/// </summary>
internal static class BenchTables
{
    public static IReadOnlyList<BenchTable> Build(QualityResults results)
    {
        var tables = new List<BenchTable>
        {
            new("Models", ["model", "path", "status"], [.. results.Models.Select(m => new[] { m.Label, m.Path, Status(m) })]),
        };
        ModelOutcome[] scored = [.. results.Scored];
        tables.AddRange(BenchTasks.All.Select(task => FigureTable(task, scored)));
        return [.. tables.Where(table => table.Rows.Count > 0)];
    }

    /// <summary>Every figure name any model has, in the order the models first give them.</summary>
    public static string[] FigureNames(BenchTask task, IEnumerable<ModelOutcome> models) =>
        [.. models.SelectMany(m => m.Of(task)).Select(f => f.Name).Distinct(StringComparer.Ordinal)];

    private static string Status(ModelOutcome model)
    {
        if (model.Failure is not null) return $"failed: {model.Failure}";
        string size = model.Words > 0 ? $"{model.Words:N0} words, {model.Dimension} dimensions"
            : model.Dimension > 0 ? $"{model.Dimension}-dimensional sentence vectors" : "";
        string status = size.Length > 0 ? $"ok: {model.Kind}, {size}" : $"ok: {model.Kind}";
        return string.Join("; ", [status, .. model.Notes]);
    }

    private static BenchTable FigureTable(BenchTask task, ModelOutcome[] models)
    {
        var rows = FigureNames(task, models).Select(name => (string[])[name, .. models.Select(m =>
            m.Of(task).FirstOrDefault(f => f.Name == name) is { } figure ? Cell(task, figure) : BenchTasks.Missing)]);
        return new BenchTable(task.Title, [task.RowName, .. models.Select(m => m.Label)], [.. rows]);
    }

    private static string Cell(BenchTask task, BenchFigure figure)
    {
        string interval = task.HasInterval ? $" [{task.Format(figure.Interval.Lower)}, {task.Format(figure.Interval.Upper)}]" : "";
        return $"{task.Format(figure.Value)}{interval} ({figure.Covered}/{figure.Total})";
    }
}
