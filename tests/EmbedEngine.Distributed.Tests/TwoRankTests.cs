using System.Diagnostics;

namespace EmbedEngine.Distributed.Tests;

/// <summary>The MPI binding over Open MPI, with 2 ranks on loopback (<c>mpirun -np 2</c>), as CI runs it.</summary>
public class TwoRankTests
{
    [Fact]
    public void Collectives_and_a_ring_of_sends_give_every_rank_the_right_values()
    {
        (int exit, string output, string error) = RunRanks("collectives", TimeSpan.FromMinutes(2));
        Assert.True(exit == 0, error + output);
        foreach (int rank in new[] { 0, 1 })
        {
            Assert.Contains($"rank {rank}: sum-float 3,6,1", output, StringComparison.Ordinal);
            Assert.Contains($"rank {rank}: sum-double 1.5,-1", output, StringComparison.Ordinal);
            Assert.Contains($"rank {rank}: sum-long 1000000000000,2", output, StringComparison.Ordinal);
            Assert.Contains($"rank {rank}: max-long 7,0", output, StringComparison.Ordinal);
            Assert.Contains($"rank {rank}: broadcast 42,43", output, StringComparison.Ordinal);
            Assert.Contains($"rank {rank}: gather 10,11,12\n", output, StringComparison.Ordinal);
            Assert.Contains($"rank {rank}: gather-float 0,1,1.25\n", output, StringComparison.Ordinal);
            Assert.Contains($"rank {rank}: gather-sleep 0,1\n", output, StringComparison.Ordinal);
            Assert.Contains($"rank {rank}: sum-sleep 3,-1\n", output, StringComparison.Ordinal);
            Assert.Contains($"rank {rank}: sum-started 2,2\n", output, StringComparison.Ordinal);
        }
        Assert.Contains("rank 0: ring 1,1.5,101", output, StringComparison.Ordinal);
        Assert.Contains("rank 1: ring 0,0.5,100", output, StringComparison.Ordinal);
        Assert.Contains("rank 0: ring-long 0\n", output, StringComparison.Ordinal);
        Assert.Contains("rank 1: ring-long 1099511627776\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rank_that_aborts_ends_the_job_within_seconds()
    {
        var clock = Stopwatch.StartNew();
        (int exit, _, _) = RunRanks("abort", TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, exit);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the job took {clock.Elapsed.TotalSeconds:F1} s to end");
    }

    /// <summary>Runs the rank host's <paramref name="scenario"/> on 2 ranks; kills the job if it outlives <paramref name="limit"/>.</summary>
    private static (int Exit, string Output, string Error) RunRanks(string scenario, TimeSpan limit)
    {
        string host = Path.Combine(AppContext.BaseDirectory, "EmbedEngine.Distributed.RankHost.dll");
        var start = new ProcessStartInfo("mpirun") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "--allow-run-as-root", "--oversubscribe", "-np", "2",
                     Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", host, scenario })
            start.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("mpirun was not found: apt-get install openmpi-bin libopenmpi-dev (.ci/run does).", e);
        }
        using (process)
        {
            Task<string> output = process.StandardOutput.ReadToEndAsync(), error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(limit))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"mpirun -np 2 {scenario} still ran after {limit.TotalSeconds} s: a hang.");
            }
            return (process.ExitCode, output.Result, error.Result);
        }
    }
}
