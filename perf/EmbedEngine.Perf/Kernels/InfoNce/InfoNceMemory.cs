using System.Diagnostics;
using System.Globalization;
using EmbedEngine.Kernels;
using EmbedEngine.Kernels.Dense;
using EmbedEngine.Perf.Kernels.Attention;

namespace EmbedEngine.Perf.Kernels.InfoNce;

/// <summary>
/// <c>--infonce-memory [N] [d] [threads] [repeats]</c>: forward + backward of the fused InfoNCE loss at N 32,768 and
/// d 512 by default, timed over a few calls after a first one, with the process's peak resident memory before and
/// after next to what one N × N logit matrix would take: the kernel's extra memory is its blocks, O(N·block).
/// </summary>
internal static class InfoNceMemory
{
    /// <summary>The switch that selects this mode instead of BenchmarkDotNet.</summary>
    public const string Switch = "--infonce-memory";

    private const double Mebi = 1024 * 1024;

    /// <summary>Runs the mode with the arguments after the switch.</summary>
    public static unsafe void Run(ReadOnlySpan<string> args)
    {
        int n = Argument(args, 0, 32768), d = Argument(args, 1, 512), threads = Argument(args, 2, 2), repeats = Argument(args, 3, 3);
        using var o = new InfoNceOperands(n, d);
        long before = AttentionMemory.PeakBytes();
        var clock = Stopwatch.StartNew();
        float loss = Step(o, threads);
        double first = clock.Elapsed.TotalMilliseconds;
        var times = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            clock.Restart();
            Step(o, threads);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        long after = AttentionMemory.PeakBytes();
        double operands = 4.0 * n * d * sizeof(float);
        double block = (double)Math.Min(threads, Environment.ProcessorCount) * InfoNceKernel.BlockRows * n * sizeof(float);
        Console.WriteLine($"InfoNCE forward + backward, N {n} d {d}, {threads} threads, {IsaDispatch.Active}: loss {loss:F4}");
        Console.WriteLine($"  first call {first:F0} ms (JIT included); then {string.Join(", ", times.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))} ms");
        Console.WriteLine($"  operands (I, T, dI, dT): {operands / Mebi:F1} MiB");
        Console.WriteLine($"  peak resident memory: {before / Mebi:F1} MiB with the operands, {after / Mebi:F1} MiB after the calls " +
            $"(+{(after - before) / Mebi:F1} MiB; the logit blocks are {block / Mebi:F1} MiB)");
        Console.WriteLine($"  one materialized N × N logit matrix would take {(double)n * n * sizeof(float) / Mebi:F0} MiB");
    }

    private static unsafe float Step(InfoNceOperands o, int threads) =>
        InfoNceKernel.Compute(o.Image, o.Text, o.N, 0, o.D, InfoNceOperands.InitialLogScale, InfoNceKernel.ClipMaxScale,
            o.ImageGrad, o.TextGrad, o.LogScaleGrad, threads);

    private static int Argument(ReadOnlySpan<string> args, int index, int fallback) =>
        args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
}
