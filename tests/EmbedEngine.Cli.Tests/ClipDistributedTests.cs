namespace EmbedEngine.Cli.Tests;

/// <summary>
/// <c>mpirun -np 2 embed train clip --distributed</c>: two ranks, each embedding its share of every batch and gathering
/// the other's embeddings for the whole batch's contrastive loss, end where one process does; mismatched ranks and a
/// device other than the CPU are refused (Open MPI's mpirun, as in CI).
/// </summary>
public sealed partial class ClipTests
{
    [Fact]
    public void Two_ranks_train_the_clip_model_one_process_trains()
    {
        // A batch of 5 gives the ranks unequal shares (2 and 3 pairs); 8 steps of shifted images and hidden words,
        // drawn alike on both ranks.
        string[] shape = ClipFolder.TinyShapeWith("--batch", "5");
        string single = _folder.File("single-clip"), ranks = _folder.File("ranks-clip");
        CliRun one = CliRun.Of(["train", "clip", "--data", clip.Data.Path, "-o", single, .. shape]);
        AssertSucceeded(one);

        (int exit, string output, string error) = MpirunJob.Run(MpirunJob.Rank(["train", "clip", "--data", clip.Data.Path, "-o", ranks, .. shape, "--distributed"]));
        Assert.True(exit == 0, error + output);
        Assert.Single(ZeroShotLine().Matches(output)); // rank 0 alone prints and evaluates
        Assert.Contains("2 ranks: ", output, StringComparison.Ordinal);
        Assert.Contains("MB of embeddings gathered per step", output, StringComparison.Ordinal);
        SavedWeights.AssertMatch(Path.Combine(single, "model.safetensors"), Path.Combine(ranks, "model.safetensors"));
    }

    [Fact]
    public void Clip_ranks_with_different_options_or_off_the_cpu_are_refused()
    {
        string model = _folder.File("refused-clip");
        string[] Rank(params string[] changes) =>
            MpirunJob.Rank(["train", "clip", "--data", clip.Data.Path, "-o", model, .. ClipFolder.TinyShapeWith(changes), "--distributed"], ranks: 1);
        (int exit, _, string error) = MpirunJob.Run([.. Rank("--batch", "8"), ":", .. Rank("--batch", "10")]);
        Assert.NotEqual(0, exit);
        Assert.Contains("were started with different options", error, StringComparison.Ordinal);
        (exit, _, error) = MpirunJob.Run(MpirunJob.Rank(["train", "clip", "--data", clip.Data.Path, "-o", model, .. ClipFolder.TinyShape, "--device", "emulated", "--distributed"]));
        Assert.NotEqual(0, exit);
        Assert.Contains("Distributed training runs on the CPU", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(model));
    }
}
