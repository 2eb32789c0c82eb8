using EmbedEngine.Cli.Console;
using EmbedEngine.Models.Training;

namespace EmbedEngine.Cli.Tests;

public sealed class ProgressReporterTests
{
    private static void ReportRun(ProgressReporter reporter)
    {
        for (int done = 0; done <= 100; done += 5)
            reporter.Report(new TrainingProgress(done * 1000, 100_000, 1 + (done / 50), 0.025f, 2.5, TimeSpan.FromSeconds(1 + done)));
    }

    [Fact]
    public void Redirected_output_gets_no_progress()
    {
        var writer = new StringWriter();
        ReportRun(new ProgressReporter(writer, interactive: false));
        Assert.Equal("", writer.ToString());
    }

    [Fact]
    public void A_terminal_gets_one_bar_redrawn_with_rate_learning_rate_and_loss_ending_in_a_newline()
    {
        var writer = new StringWriter();
        ReportRun(new ProgressReporter(writer, interactive: true));

        string text = writer.ToString();
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        string[] draws = text.TrimEnd().Split('\r', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(21, draws.Length);
        Assert.StartsWith("[###...........................]  10.0%  epoch 1", draws[2], StringComparison.Ordinal);
        Assert.Contains("words/s", draws[2], StringComparison.Ordinal);
        Assert.Contains("lr 0.025000", draws[2], StringComparison.Ordinal);
        Assert.Contains("loss 2.5000", draws[2], StringComparison.Ordinal);
        Assert.StartsWith("[##############################] 100.0%  epoch 3", draws[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_method_without_learning_rate_or_loss_shows_neither_and_names_its_own_units()
    {
        var writer = new StringWriter();
        var reporter = new ProgressReporter(writer, interactive: true, unit: "nonzeros", step: "product");
        reporter.Report(new TrainingProgress(3_000_000, 6_000_000, 3, float.NaN, double.NaN, TimeSpan.FromSeconds(2)));

        Assert.Equal("\r[###############...............]  50.0%  product 3  1.50M nonzeros/s  ETA 0:02   ", writer.ToString());
    }
}
