using System.Diagnostics;

namespace EmbedEngine.Cli.Tests;

/// <summary>Jobs of the built <c>embed</c> under Open MPI's <c>mpirun</c> on loopback, as CI runs them.</summary>
internal static class MpirunJob
{
    /// <summary>mpirun's arguments for <paramref name="ranks"/> ranks of <c>embed</c> with <paramref name="args"/>.</summary>
    public static string[] Rank(string[] args, int ranks = 2) =>
        ["-np", $"{ranks}", Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", Path.Combine(AppContext.BaseDirectory, "embed.dll"), .. args];

    /// <summary>Starts mpirun with <paramref name="args"/>; the caller reads its streams.</summary>
    public static Process Start(string[] args)
    {
        var start = new ProcessStartInfo("mpirun") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--allow-run-as-root");
        start.ArgumentList.Add("--oversubscribe");
        foreach (string arg in args) start.ArgumentList.Add(arg);
        return Process.Start(start) ?? throw new InvalidOperationException("mpirun did not start: apt-get install openmpi-bin libopenmpi-dev.");
    }

    /// <summary>Runs mpirun with <paramref name="args"/> to the end; a job still running after 2 minutes fails the test as a hang.</summary>
    public static (int Exit, string Output, string Error) Run(string[] args)
    {
        using Process process = Start(args);
        Task<string> output = process.StandardOutput.ReadToEndAsync(), error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("mpirun still ran after 2 minutes: a hang.");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}
