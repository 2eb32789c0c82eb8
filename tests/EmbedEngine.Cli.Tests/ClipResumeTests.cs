namespace EmbedEngine.Cli.Tests;

/// <summary>
/// Checkpoints and resume of <c>embed train clip</c>: a run killed with SIGKILL mid-way (mid-epoch, its shuffle and
/// shifts drawn) and resumed from its last checkpoint writes the same model, byte for byte, as a run never interrupted;
/// one with other options is refused.
/// </summary>
public sealed partial class ClipTests
{
    [Fact]
    public void A_run_killed_mid_way_and_resumed_ends_with_the_uninterrupted_model()
    {
        string[] run = ["train", "clip", "--data", clip.Data.Path, .. ClipFolder.TinyShapeWith("--epochs", "150")];
        // 5 steps an epoch: checkpoints every 7 steps fall mid-epoch.
        string checkpoint = KilledRun.AssertResumedModelMatches(output => [.. run, "-o", output], _folder, every: "7");
        BadInputTests.AssertBadInput(CliRun.Of([.. run, "--shift", "1", "-o", _folder.File("other"), "--resume", checkpoint]),
            "was written with other options (ClipTrainingOptions {");
    }
}
