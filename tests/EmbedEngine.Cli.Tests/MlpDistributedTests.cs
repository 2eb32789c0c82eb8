using System.Diagnostics;

namespace EmbedEngine.Cli.Tests;

/// <summary>
/// <c>mpirun -np 2 embed train mlp --distributed</c>: two ranks sharing each batch end where one process does with the
/// same global batch, and ranks started with different options are refused at once (Open MPI's mpirun, as in CI).
/// </summary>
public partial class MlpTests
{
    [Fact]
    public void Two_ranks_train_the_model_one_process_trains()
    {
        using var folder = new TempFolder();
        WriteSet(folder, "train", 600, 11, gzip: false);
        WriteSet(folder, "t10k", 90, 12, gzip: false);
        // No dropout: its masks are drawn per rank, so only runs without it can match.
        string[] common = ["train", "mlp", "--data", folder.Path, "--hidden", "32", "--epochs", "3", "--batch", "50", "--dropout", "0", "--threads", "1"];
        string single = folder.File("single.safetensors"), ranks = folder.File("ranks.safetensors");
        CliRun one = CliRun.Of([.. common, "-o", single]);
        Assert.True(one.ExitCode == 0, one.Error);

        (int exit, string output, string error) = MpirunJob.Run([.. MpirunJob.Rank([.. common, "-o", ranks, "--distributed"])]);
        Assert.True(exit == 0, error + output);
        Assert.Equal(AccuracyLine().Match(one.Output).Value, AccuracyLine().Match(output).Value);
        Assert.Single(AccuracyLine().Matches(output)); // rank 0 alone prints
        SavedWeights.AssertMatch(single, ranks);
    }

    [Fact]
    public void Ranks_started_with_different_options_are_refused_at_once()
    {
        using var folder = new TempFolder();
        WriteSet(folder, "train", 100, 11, gzip: false);
        WriteSet(folder, "t10k", 10, 12, gzip: false);
        string[] common = ["train", "mlp", "--data", folder.Path, "--epochs", "1", "--distributed"];
        var clock = Stopwatch.StartNew();
        (int exit, _, string error) = MpirunJob.Run([.. MpirunJob.Rank([.. common, "--hidden", "16"], ranks: 1), ":", .. MpirunJob.Rank([.. common, "--hidden", "32"], ranks: 1)]);
        Assert.NotEqual(0, exit);
        Assert.Contains("were started with different options", error, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed.TotalSeconds:F0} s");
    }
}
