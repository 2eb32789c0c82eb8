namespace EmbedEngine.Cli.Tests;

/// <summary>
/// <c>mpirun -np 2 embed train gpt|bert|char-lm --distributed</c>: two ranks sharing each batch of windows end where one
/// process does with the same global batch, and ranks started with different options are refused (Open MPI's mpirun, as in CI).
/// </summary>
public sealed partial class ContextualTests
{
    [Theory]
    [InlineData("gpt")]
    [InlineData("bert")]
    [InlineData("char-lm")]
    public void Two_ranks_train_the_language_model_one_process_trains(string kind)
    {
        // No dropout: its masks are drawn per rank, so only runs without it can match. A batch of 5 gives the ranks
        // unequal shares (2 and 3 windows), so the weighting of each rank's gradient counts.
        string[] changes = ["--batch", "5", "--iters", "8", "--eval-interval", "4", "--dropout", "0"];
        string single = _folder.File($"{kind}-single"), ranks = _folder.File($"{kind}-ranks");
        string[] Arguments(string output) => kind == "char-lm" ? CharacterModelArguments(output, changes) : TrainArguments(kind, output, changes);
        ValidatedRanks.AssertMatchOneProcess(Arguments, single, ranks, ValidationLine());
    }

    [Fact]
    public void Language_model_ranks_started_with_different_options_are_refused()
    {
        string[] Rank(string learningRate) => MpirunJob.Rank([.. TrainArguments("gpt", _folder.File("model"), "--lr", learningRate), "--distributed"], ranks: 1);
        (int exit, _, string error) = MpirunJob.Run([.. Rank("0.01"), ":", .. Rank("0.02")]);
        Assert.NotEqual(0, exit);
        Assert.Contains("were started with different options", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder.File("model")));
    }
}
