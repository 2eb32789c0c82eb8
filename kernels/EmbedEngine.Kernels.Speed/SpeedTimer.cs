using System.Diagnostics;

namespace EmbedEngine.Kernels.Speed;

/// <summary>
/// Times one call the way the speed suite does: a warm-up (the JIT tiers up, caches and predictors fill), then
/// repeated runs of a calibrated number of calls each, and the median run's time per call, which a stray
/// preemption on a shared machine does not move.
/// </summary>
public static class SpeedTimer
{
    /// <summary>Timed runs when the budget allows; fewer (at least <see cref="MinRuns"/>) when one call takes long.</summary>
    private const int Runs = 9;

    private const int MinRuns = 3;

    /// <summary>
    /// The shortest warm-up: long enough for tiered compilation to replace a variant's quick first code with the
    /// optimized one (it waits 100 ms after the last new method before compiling in the background).
    /// </summary>
    private static readonly TimeSpan MinWarmUp = TimeSpan.FromSeconds(0.25);

    /// <summary>The shortest measured phase, so runs of fast calls are long beside the clock's resolution.</summary>
    private static readonly TimeSpan MinMeasured = TimeSpan.FromSeconds(0.1);

    /// <summary>Seconds per kernel call of <paramref name="run"/>, timed for about <paramref name="budget"/> (<see cref="PerCall"/>).</summary>
    public static double SecondsPerCall(Action run, int callsPerRun, TimeSpan budget, double runOverhead) =>
        PerCall(MedianSeconds(run, budget), callsPerRun, runOverhead);

    /// <summary>
    /// Seconds per kernel call of a run of <paramref name="callsPerRun"/> calls that took <paramref name="runSeconds"/>:
    /// the run's time less <paramref name="runOverhead"/> (invoking an empty run), divided by its calls, as
    /// BenchmarkDotNet takes its idle invocation's time off and divides by the operations; never less than half, so
    /// noise in the overhead cannot drive a time to zero. The kernel calls inside a run go through their variant's
    /// delegate and keep that cost, as BenchmarkDotNet's benchmark methods keep the cost of calling the kernel.
    /// </summary>
    public static double PerCall(double runSeconds, int callsPerRun, double runOverhead) =>
        Math.Max(runSeconds - runOverhead, runSeconds / 2) / callsPerRun;

    /// <summary>
    /// Median seconds per call of <paramref name="call"/>, taking about <paramref name="budget"/> (more when the budget
    /// is shorter than the shortest warm-up and measured phase, or three calls take longer).
    /// </summary>
    public static double MedianSeconds(Action call, TimeSpan budget)
    {
        TimeSpan warmUp = budget / 4 > MinWarmUp ? budget / 4 : MinWarmUp;
        var clock = Stopwatch.StartNew();
        long calls = 0, batch = 1;
        do
        {
            // Batches growing while they are short keep reading the clock from dominating nanosecond calls.
            for (long c = 0; c < batch; c++) call();
            calls += batch;
            if (clock.Elapsed < warmUp / 8) batch *= 2;
        }
        while (clock.Elapsed < warmUp);
        double perCall = clock.Elapsed.TotalSeconds / calls;

        double measured = Math.Max((budget - warmUp).TotalSeconds, Math.Max(MinMeasured.TotalSeconds, MinRuns * perCall));
        int runs = (int)Math.Clamp(measured / perCall, MinRuns, Runs);
        long callsPerRun = Math.Max(1, (long)(measured / runs / perCall));
        var seconds = new double[runs];
        for (int r = 0; r < runs; r++)
        {
            clock.Restart();
            for (long c = 0; c < callsPerRun; c++) call();
            seconds[r] = clock.Elapsed.TotalSeconds / callsPerRun;
        }
        Array.Sort(seconds);
        return seconds[runs / 2];
    }
}
