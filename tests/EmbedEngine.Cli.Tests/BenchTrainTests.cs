using System.Globalization;
using System.Text.RegularExpressions;

namespace EmbedEngine.Cli.Tests;

/// <summary><c>embed bench train</c> on the shipped sample: a row per job with positive figures, and a clear error for an unknown job.</summary>
public sealed partial class BenchTrainTests
{
    [Fact]
    public void One_epoch_of_word2vec_reports_its_rate_memory_and_analogy_accuracy()
    {
        CliRun run = CliRun.Of("bench", "train", "--jobs", "word2vec", "--epochs", "1", "--threads", "2");

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        Assert.StartsWith("sotu.txt.gz, 1 epoch(s), 2 threads, dim 100", run.Output, StringComparison.Ordinal);
        Match row = Row().Match(run.Output);
        Assert.True(row.Success, run.Output);
        Assert.True(Number(row, "wall") > 0 && Number(row, "rate") > 0 && Number(row, "memory") > 0, row.Value);
        double accuracy = Number(row, "accuracy");
        Assert.InRange(accuracy, 0, 100);
        // The sample's vocabulary at min-count 5 covers this many of the 19,544 questions, whatever the training does.
        Assert.Equal(4451, int.Parse(row.Groups["answered"].Value, CultureInfo.InvariantCulture));
        // Standard error is not a terminal here: no progress lines.
        Assert.Equal("", run.Error.Trim());
    }

    [Fact]
    public void An_unknown_job_is_an_error_that_lists_the_jobs()
    {
        CliRun run = CliRun.Of("bench", "train", "--jobs", "word2vec,bert");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("--jobs: no job 'bert'; jobs: word2vec, fasttext, glove.", run.Error, StringComparison.Ordinal);
    }

    private static double Number(Match row, string group) => double.Parse(row.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^word2vec\s+(?<wall>[\d.]+) s\s+(?<rate>[\d.]+)k words/s\s+(?<memory>\d+) MiB\s+(?<accuracy>[\d.]+)% of (?<answered>\d+)$", RegexOptions.Multiline)]
    private static partial Regex Row();
}
