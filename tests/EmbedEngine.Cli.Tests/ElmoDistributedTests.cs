namespace EmbedEngine.Cli.Tests;

/// <summary>
/// <c>mpirun -np 2 embed train elmo --distributed</c>: two ranks sharing each batch of windows end where one process
/// does with the same global batch, and ranks started with different options are refused (Open MPI's mpirun, as in CI).
/// </summary>
public sealed partial class ElmoTests
{
    [Fact]
    public void Two_ranks_train_the_bilm_one_process_trains()
    {
        // No dropout: its masks are drawn per rank. A batch of 5 gives the ranks unequal shares (2 and 3 windows).
        string[] changes = ["--batch", "5", "--iters", "8", "--eval-interval", "4", "--dropout", "0"];
        string single = _folder.File("single"), ranks = _folder.File("ranks");
        ValidatedRanks.AssertMatchOneProcess(output => TrainArguments(output, changes), single, ranks, ValidationLine());
    }

    [Fact]
    public void Bilm_ranks_started_with_different_options_are_refused()
    {
        string model = _folder.File("model");
        string[] Rank(string learningRate) => MpirunJob.Rank([.. TrainArguments(model, "--lr", learningRate), "--distributed"], ranks: 1);
        (int exit, _, string error) = MpirunJob.Run([.. Rank("0.01"), ":", .. Rank("0.02")]);
        Assert.NotEqual(0, exit);
        Assert.Contains("were started with different options", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(model));
    }
}
