namespace EmbedEngine.Cli.Tests;

/// <summary>
/// <c>mpirun -np 2 embed train simcse --distributed</c>: two ranks, each encoding its share of the examples (anchors,
/// positives and hard negatives) and gathering the other's sentence vectors for the whole batch's loss, end where one
/// process does; mismatched ranks are refused (Open MPI's mpirun, as in CI).
/// </summary>
public sealed partial class SimCseTests
{
    [Fact]
    public void Two_ranks_fine_tune_the_model_one_process_fine_tunes()
    {
        // Hard negatives on some examples only, so the ranks' shares hold unequal numbers of them.
        string pairs = _folder.Write("pairs.tsv", "the lazy dog\ta dog sleeps\tthe fox runs\nthe quick fox\tbrown fox jumps\n" +
            "the sun\tall day long\nover hills\tover the dog\tthe sun all day\na lazy dog\tthe dog sleeps\n" +
            "brown fox\tthe quick fox\tthe lazy sun\nall day\tthe whole day\nthe fox runs\tquick and brown\tover the dog\n");
        // With SimCSE's dropout (0.1): each rank's sequences take the masks of their places in the whole batch. A batch
        // of 5 gives the ranks unequal shares (2 and 3 examples).
        string[] run = ["train", "simcse", "-m", TinyBert(), "--pairs", pairs, "--steps", "6", "--batch", "5", "--lr", "1e-3", "--warmup", "1", "--threads", "1"];
        string single = _folder.File("single"), ranks = _folder.File("ranks");
        CliRun one = CliRun.Of([.. run, "-o", single]);
        Assert.True(one.ExitCode == 0, one.Error);

        (int exit, string output, string error) = MpirunJob.Run(MpirunJob.Rank([.. run, "-o", ranks, "--distributed"]));
        Assert.True(exit == 0, error + output);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(output, "wrote the model to")); // rank 0 alone writes
        Assert.Contains("2 ranks: ", output, StringComparison.Ordinal);
        SavedWeights.AssertMatch(Path.Combine(single, "model.safetensors"), Path.Combine(ranks, "model.safetensors"));
    }

    [Fact]
    public void Simcse_ranks_started_with_different_options_are_refused()
    {
        string bert = TinyBert(), model = _folder.File("refused");
        string[] Rank(string temperature) =>
            MpirunJob.Rank(["train", "simcse", "-m", bert, "-i", Text(), "--batch", "4", "--temperature", temperature, "-o", model, "--distributed"], ranks: 1);
        (int exit, _, string error) = MpirunJob.Run([.. Rank("0.05"), ":", .. Rank("0.1")]);
        Assert.NotEqual(0, exit);
        Assert.Contains("were started with different options", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(model));
    }
}
