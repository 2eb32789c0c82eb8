namespace EmbedEngine.Cli.Tests;

/// <summary>
/// Checkpoints and resume of <c>embed train elmo</c>: a run killed with SIGKILL mid-way and resumed from its last
/// checkpoint writes the same model, byte for byte, as a run never interrupted; one with other options is refused.
/// </summary>
public sealed partial class ElmoTests
{
    [Fact]
    public void A_run_killed_mid_way_and_resumed_ends_with_the_uninterrupted_model()
    {
        string[] longer = ["--iters", "250", "--eval-interval", "100", "--dropout", "0.1"];
        string checkpoint = KilledRun.AssertResumedModelMatches(output => TrainArguments(output, longer), _folder, every: "30");
        BadInputTests.AssertBadInput(CliRun.Of(TrainArguments(_folder.File("other"), [.. longer, "--batch", "4", "--resume", checkpoint])),
            "was written with other options (BiLmTrainingOptions {");
    }
}
