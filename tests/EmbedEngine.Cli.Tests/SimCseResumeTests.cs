namespace EmbedEngine.Cli.Tests;

/// <summary>
/// Checkpoints and resume of <c>embed train simcse</c>: a run killed with SIGKILL mid-way and resumed from its last
/// checkpoint (batch order, dropout masks and all) writes the same model, byte for byte, as a run never interrupted;
/// one with other options is refused.
/// </summary>
public sealed partial class SimCseTests
{
    [Fact]
    public void A_run_killed_mid_way_and_resumed_ends_with_the_uninterrupted_model()
    {
        string[] run = ["train", "simcse", "-m", TinyBert(), "-i", Text(), "--steps", "300", "--batch", "4", "--max-words", "5", "--threads", "1"];
        // 120 examples in batches of 4: checkpoints every 7 steps fall mid-epoch.
        string checkpoint = KilledRun.AssertResumedModelMatches(output => [.. run, "-o", output], _folder, every: "7");
        BadInputTests.AssertBadInput(CliRun.Of([.. run, "--temperature", "0.1", "-o", _folder.File("other"), "--resume", checkpoint]),
            "was written with other options (SimCseOptions {");
    }
}
