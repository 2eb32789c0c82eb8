namespace EmbedEngine.Cli.Tests;

/// <summary>
/// Checkpoints and resume: an <c>embed train mlp</c> process killed with SIGKILL mid-run and resumed from its last
/// checkpoint writes the same model, byte for byte, as a run never interrupted.
/// </summary>
public partial class MlpTests
{
    [Fact]
    public void A_run_killed_mid_way_and_resumed_ends_with_the_uninterrupted_model()
    {
        using var folder = new TempFolder();
        WriteSet(folder, "train", 2000, 7, gzip: false);
        WriteSet(folder, "t10k", 50, 8, gzip: false);
        string[] common = ["train", "mlp", "--data", folder.Path, "--hidden", "256,128", "--epochs", "60", "--batch", "50", "--threads", "1"];
        string whole = folder.File("whole.safetensors"), resumed = folder.File("resumed.safetensors"), checkpoint = folder.File("run.ckpt");

        CliRun uninterrupted = CliRun.Of([.. common, "-o", whole]);
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.Error);

        KilledRun.KillAndResume([.. common, "-o", resumed], checkpoint, "100", resumed);
        Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(resumed));
    }

    [Fact]
    public void A_checkpoint_whose_generator_state_is_past_two_to_the_63_resumes()
    {
        // Seed 1 and 101 images: after the first epoch's 100 draws the shuffling generator's state is above 2^63,
        // which a checkpoint must carry through its signed metadata numbers.
        using var folder = new TempFolder();
        WriteSet(folder, "train", 101, 7, gzip: false);
        WriteSet(folder, "t10k", 20, 8, gzip: false);
        string checkpoint = folder.File("run.ckpt");
        string[] common = ["train", "mlp", "--data", folder.Path, "--hidden", "8", "--epochs", "2", "--batch", "50", "--threads", "1"];
        CliRun first = CliRun.Of([.. common, "--checkpoint", checkpoint, "--checkpoint-every", "2"]);
        Assert.True(first.ExitCode == 0, first.Error);
        CliRun resumed = CliRun.Of([.. common, "--resume", checkpoint]);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
    }

    [Fact]
    public void Resuming_with_other_options_or_a_missing_checkpoint_is_refused()
    {
        using var folder = new TempFolder();
        WriteSet(folder, "train", 200, 7, gzip: false);
        WriteSet(folder, "t10k", 20, 8, gzip: false);
        string checkpoint = folder.File("run.ckpt");
        CliRun first = CliRun.Of("train", "mlp", "--data", folder.Path, "--hidden", "16", "--epochs", "2", "--checkpoint", checkpoint, "--checkpoint-every", "2");
        Assert.True(first.ExitCode == 0, first.Error);
        BadInputTests.AssertBadInput(CliRun.Of("train", "mlp", "--data", folder.Path, "--hidden", "32", "--epochs", "2", "--resume", checkpoint),
            "was written with other options (hidden 16,");
        BadInputTests.AssertBadInput(CliRun.Of("train", "mlp", "--data", folder.Path, "--resume", folder.File("none.ckpt")), "none.ckpt does not exist");
        BadInputTests.AssertBadInput(CliRun.Of("train", "mlp", "--data", folder.Path, "--checkpoint", checkpoint, "--checkpoint-every", "soon"),
            "--checkpoint-every takes a number of steps or a time");
    }
}
