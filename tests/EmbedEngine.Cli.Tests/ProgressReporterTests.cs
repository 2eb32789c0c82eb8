using EmbedEngine.Cli.Console;
using EmbedEngine.Models.Training;

namespace EmbedEngine.Cli.Tests;

public sealed class ProgressReporterTests
{
    [Fact]
    public void Redirected_output_gets_ten_lines_with_rate_learning_rate_and_loss()
    {
        var writer = new StringWriter();
        var reporter = new ProgressReporter(writer, interactive: false);
        for (int done = 0; done <= 100; done += 5)
            reporter.Report(new TrainingProgress(done * 1000, 100_000, 1 + (done / 50), 0.025f, 2.5, TimeSpan.FromSeconds(1 + done)));

        string[] lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(10, lines.Length);
        Assert.StartsWith(" 10.0%  epoch 1", lines[0]);
        Assert.Contains("words/s", lines[0]);
        Assert.Contains("lr 0.025000", lines[0]);
        Assert.Contains("loss 2.5000", lines[0]);
        Assert.StartsWith("100.0%  epoch 3", lines[^1]);
    }

    [Fact]
    public void A_method_without_learning_rate_or_loss_shows_neither_and_names_its_own_units()
    {
        var writer = new StringWriter();
        var reporter = new ProgressReporter(writer, interactive: false, unit: "nonzeros", step: "product");
        reporter.Report(new TrainingProgress(3_000_000, 6_000_000, 3, float.NaN, double.NaN, TimeSpan.FromSeconds(2)));

        string line = writer.ToString().Trim();
        Assert.Equal(" 50.0%  product 3  1.50M nonzeros/s  ETA 0:02", " " + line);
    }
}
