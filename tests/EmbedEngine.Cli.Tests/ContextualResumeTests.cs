namespace EmbedEngine.Cli.Tests;

/// <summary>
/// Checkpoints and resume of <c>embed train gpt|bert|char-lm</c>: a run killed with SIGKILL mid-way and resumed from
/// its last checkpoint writes the same model, byte for byte, as a run never interrupted; a checkpoint of other options,
/// another model or a broken file is refused.
/// </summary>
public sealed partial class ContextualTests
{
    /// <summary>A few hundred iterations, with dropout, so the run is still going after its first checkpoint.</summary>
    private static readonly string[] Longer = ["--iters", "400", "--eval-interval", "150", "--dropout", "0.1"];

    [Theory]
    [InlineData("gpt")]
    [InlineData("bert")]
    [InlineData("char-lm")]
    public void A_run_killed_mid_way_and_resumed_ends_with_the_uninterrupted_model(string kind)
    {
        KilledRun.AssertResumedModelMatches(output => kind == "char-lm"
            ? CharacterModelArguments(output, [.. Longer, "--dim", "16", "--batch", "4"])
            : TrainArguments(kind, output, Longer), _folder, every: "40");
    }

    [Fact]
    public void A_run_resumes_on_another_thread_count_which_its_results_do_not_depend_on()
    {
        string checkpoint = _folder.File("run.ckpt"), whole = _folder.File("whole"), resumed = _folder.File("resumed");
        CliRun first = Train("gpt", whole, "--checkpoint", checkpoint, "--checkpoint-every", "10");
        Assert.True(first.ExitCode == 0, first.Error);
        CliRun again = Train("gpt", resumed, "--threads", "2", "--resume", checkpoint);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole, "model.safetensors")), File.ReadAllBytes(Path.Combine(resumed, "model.safetensors")));
    }

    [Fact]
    public void Resuming_with_other_options_another_model_or_a_broken_checkpoint_is_refused()
    {
        string checkpoint = _folder.File("run.ckpt");
        CliRun first = Train("gpt", _folder.File("gpt"), "--checkpoint", checkpoint, "--checkpoint-every", "5");
        Assert.True(first.ExitCode == 0, first.Error);

        BadInputTests.AssertBadInput(Train("gpt", _folder.File("other"), "--lr", "0.02", "--resume", checkpoint), "was written with other options (ContextualTrainingOptions {");
        BadInputTests.AssertBadInput(Train("gpt", _folder.File("other"), "--dim", "32", "--resume", checkpoint), "was written with other options");
        BadInputTests.AssertBadInput(Train("bert", _folder.File("other"), "--resume", checkpoint), "is a checkpoint of a gpt language model, not of a bert language model");
        string truncated = _folder.Write("truncated.ckpt", File.ReadAllBytes(checkpoint)[..200]);
        BadInputTests.AssertBadInput(Train("gpt", _folder.File("other"), "--resume", truncated), "truncated.ckpt");
        BadInputTests.AssertBadInput(Train("gpt", _folder.File("other"), "--resume", _folder.File("none.ckpt")), "none.ckpt does not exist");
        Assert.False(Directory.Exists(_folder.File("other")), "a refused resume writes no model");
    }
}
