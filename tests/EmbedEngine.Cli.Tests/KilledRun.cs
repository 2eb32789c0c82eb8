using System.Diagnostics;

namespace EmbedEngine.Cli.Tests;

/// <summary>The kill-and-resume tests' run: a training process killed with SIGKILL mid-way, then resumed from its checkpoint.</summary>
internal static class KilledRun
{
    /// <summary>
    /// Runs <paramref name="args"/> with checkpoints every <paramref name="every"/> as its own process, kills it once the
    /// first checkpoint is there, checks it left no <paramref name="output"/>, then resumes it to the end.
    /// </summary>
    public static void KillAndResume(string[] args, string checkpoint, string every, string output)
    {
        string[] checkpointed = [.. args, "--checkpoint", checkpoint, "--checkpoint-every", every];
        using (Process run = Embed(checkpointed))
        {
            var clock = Stopwatch.StartNew();
            while (!File.Exists(checkpoint) && !run.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(20);
            Assert.False(run.HasExited, "the run ended before it could be killed; give it more epochs");
            run.Kill(); // SIGKILL: no chance to clean up
            run.WaitForExit();
        }
        Assert.False(File.Exists(output), "a killed run must not leave a model behind");

        CliRun finish = CliRun.Of([.. checkpointed, "--resume", checkpoint]);
        Assert.True(finish.ExitCode == 0, finish.Error);
    }

    /// <summary>
    /// Runs a trainer that writes a model folder once uninterrupted and once killed and resumed (<see cref="KillAndResume"/>,
    /// checkpoints every <paramref name="every"/>), and asserts both wrote the same model.safetensors, byte for byte.
    /// </summary>
    /// <param name="arguments">The run's arguments, given its output folder.</param>
    /// <param name="folder">Holds both models and the checkpoint.</param>
    /// <returns>The checkpoint the resumed run continued from.</returns>
    public static string AssertResumedModelMatches(Func<string, string[]> arguments, TempFolder folder, string every)
    {
        const string Model = "model.safetensors";
        string whole = folder.File("whole"), resumed = folder.File("resumed"), checkpoint = folder.File("run.ckpt");
        CliRun uninterrupted = CliRun.Of(arguments(whole));
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.Error);
        KillAndResume(arguments(resumed), checkpoint, every, Path.Combine(resumed, Model));
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole, Model)), File.ReadAllBytes(Path.Combine(resumed, Model)));
        return checkpoint;
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
