using System.CommandLine;
using System.Globalization;
using EmbedEngine.Cli.Bench;
using EmbedEngine.Cli.Console;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>embed bench train</c>: the standard end-to-end jobs (word2vec, fastText, GloVe) on the shipped State of the Union
/// sample for a fixed number of passes, each with its training rate, wall time, peak memory and analogy accuracy, so
/// a change to a kernel shows its effect end to end.
/// </summary>
internal static class BenchTrainCommand
{
    private static readonly string[] Header = ["job", "wall", "rate", "peak memory", "analogy"];

    public static Command Create(TextWriter output, TextWriter error)
    {
        var jobs = new Option<string>("--jobs") { Description = "Comma-separated jobs to run.", DefaultValueFactory = _ => string.Join(',', TrainJobs.All.Select(j => j.Name)) };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the sample corpus, the same for every job.", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "Worker threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("train", "Train word2vec, fastText and GloVe on the shipped sample: words/s, peak memory and analogy accuracy.")
            { jobs, epochs, threads };
        command.SetAction((parsed, cancellation) =>
        {
            if (parsed.GetValue(epochs) < 1 || parsed.GetValue(threads) < 1) throw new ArgumentException("--epochs and --threads must be at least 1.");
            string[] names = parsed.GetValue(jobs)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var budget = new TrainBudget(SampleFiles.Path(SampleFiles.Corpus), parsed.GetValue(epochs), parsed.GetValue(threads));
            IReadOnlyList<TrainRow> rows = SampleFiles.WithQuestions(questions => TrainSuite.Run(names, budget, questions, ProgressReporter.LinesFor(error), cancellation));
            output.WriteLine($"{SampleFiles.Corpus}, {budget.Epochs} epoch(s), {budget.Threads} threads, dim 100");
            output.Write(PlainTable.Render(Header, rows.Select(Cells), textColumns: 1));
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    private static string[] Cells(TrainRow row) =>
    [
        row.Job,
        string.Create(CultureInfo.InvariantCulture, $"{row.Seconds:F1} s"),
        string.Create(CultureInfo.InvariantCulture, $"{row.Rate / 1e3:F1}k {row.Unit}/s"),
        string.Create(CultureInfo.InvariantCulture, $"{row.PeakBytes / (1024.0 * 1024.0):F0} MiB{(row.PeakIsJobs ? "" : " (process)")}"),
        string.Create(CultureInfo.InvariantCulture, $"{100 * row.Analogy:F2}% of {row.Answered}"),
    ];
}
