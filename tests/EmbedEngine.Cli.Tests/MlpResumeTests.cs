using System.Diagnostics;

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

        using (Process run = Embed([.. common, "-o", resumed, "--checkpoint", checkpoint, "--checkpoint-every", "100"]))
        {
            var clock = Stopwatch.StartNew();
            while (!File.Exists(checkpoint) && !run.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(20);
            Assert.False(run.HasExited, "the run ended before it could be killed; give it more epochs");
            run.Kill(); // SIGKILL: no chance to clean up
            run.WaitForExit();
        }
        Assert.False(File.Exists(resumed), "a killed run must not leave a model behind");

        CliRun finish = CliRun.Of([.. common, "-o", resumed, "--checkpoint", checkpoint, "--checkpoint-every", "100", "--resume", checkpoint]);
        Assert.True(finish.ExitCode == 0, finish.Error);
        Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(resumed));
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

    /// <summary>Starts the built <c>embed</c> as its own process, so it can be killed.</summary>
    private static Process Embed(string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "embed.dll"));
        foreach (string arg in args) start.ArgumentList.Add(arg);
        Process process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
