using System.Diagnostics;
using EmbedEngine.Kernels.Speed;

namespace EmbedEngine.Kernels.Tests.Speed;

/// <summary>
/// The speed suite's arithmetic per call (a run's time less the overhead of invoking it, at least half, over its
/// calls), exactly, and on timed runs of a spinning "kernel" whose time per call is known.
/// </summary>
public sealed class SpeedTimerTests
{
    private const double Spin = 40e-6;

    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(0.05);

    [Theory]
    [InlineData(1e-6, 100, 0.0, 1e-8)]
    [InlineData(1e-6, 100, 2e-9, 9.98e-9)] // the overhead is the run's, not each call's
    [InlineData(3e-3, 1, 1e-9, 3e-3 - 1e-9)]
    [InlineData(1e-8, 1, 9e-9, 5e-9)] // the overhead would leave 1 ns: half the time stays
    [InlineData(1e-8, 4, 9e-9, 1.25e-9)]
    public void A_run_less_its_overhead_but_never_below_half_is_divided_by_its_calls(double runSeconds, int calls, double overhead, double expected) =>
        Assert.Equal(expected, SpeedTimer.PerCall(runSeconds, calls, overhead), 1e-15);

    [Fact]
    public void The_time_of_a_run_of_five_calls_is_divided_by_five()
    {
        const int calls = 5;
        double single = SpeedTimer.SecondsPerCall(() => SpinCalls(1), 1, Budget, runOverhead: 0);
        double perCall = SpeedTimer.SecondsPerCall(() => SpinCalls(calls), calls, Budget, runOverhead: 0);

        // Both at least the spin. On a shared core a spin that loses the processor lasts until it gets it back, so
        // compare the two measurements with each other: about equal, never the five times an undivided run gives.
        Assert.True(single >= Spin && perCall >= Spin, $"single call {single:E3} s, per call of five {perCall:E3} s; spin {Spin:E3} s");
        Assert.InRange(perCall / single, 0.4, 2.5);
    }

    /// <summary><paramref name="calls"/> busy waits of <see cref="Spin"/> each, a "kernel" whose time is known.</summary>
    private static void SpinCalls(int calls)
    {
        for (int c = 0; c < calls; c++)
        {
            long end = Stopwatch.GetTimestamp() + (long)(Spin * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < end)
            {
            }
        }
    }
}
