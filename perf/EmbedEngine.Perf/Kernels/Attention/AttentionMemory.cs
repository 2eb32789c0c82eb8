using System.Diagnostics;
using EmbedEngine.Kernels.Dense.Attention;

namespace EmbedEngine.Perf.Kernels.Attention;

/// <summary>
/// <c>--attention-memory [T] [threads]</c>: one causal forward and backward pass at B 1, H 8, d 64 and T 4096 (by
/// default), printing the process's peak resident memory before and after next to the H·T² floats one materialized
/// score matrix would take: the fused kernel's extra memory grows with T, not T².
/// </summary>
internal static class AttentionMemory
{
    /// <summary>The switch that selects this mode instead of BenchmarkDotNet.</summary>
    public const string Switch = "--attention-memory";

    private const int Batch = 1, Heads = 8, HeadDim = 64, DefaultLength = 4096, DefaultThreads = 2;

    /// <summary>Runs the mode with the arguments after the switch.</summary>
    public static unsafe void Run(ReadOnlySpan<string> args)
    {
        int length = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : DefaultLength;
        int threads = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : DefaultThreads;
        using var o = new AttentionOperands(Batch, Heads, length, HeadDim, causal: true);
        long before = PeakBytes();
        var clock = Stopwatch.StartNew();
        AttentionKernel.Forward(o.Shape, o.Q, o.K, o.V, o.O, o.LogSumExp, [], threads);
        double forward = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        AttentionKernel.Backward(o.Shape, o.Q, o.K, o.V, o.O, o.DOut, o.LogSumExp, [], o.DQ, o.DK, o.DV, threads);
        double backward = clock.Elapsed.TotalMilliseconds;
        long after = PeakBytes();
        double scores = (double)Batch * Heads * length * length * sizeof(float);
        Console.WriteLine($"Attention B {Batch} H {Heads} T {length} d {HeadDim} causal, {threads} threads, {IsaVariant()}:");
        Console.WriteLine($"  forward {forward:F0} ms, backward {backward:F0} ms (first calls, JIT included)");
        Console.WriteLine($"  operands (Q, K, V, O, dO, dQ, dK, dV): {8 * o.Floats * sizeof(float) / Mebi:F1} MiB");
        Console.WriteLine($"  peak resident memory: {before / Mebi:F1} MiB with the operands, {after / Mebi:F1} MiB after both passes " +
            $"(+{(after - before) / Mebi:F1} MiB)");
        Console.WriteLine($"  one materialized score matrix (B·H·T² floats) would take {scores / Mebi:F0} MiB; " +
            $"its gradient as much again");
    }

    private const double Mebi = 1024 * 1024;

    private static string IsaVariant() => EmbedEngine.Kernels.IsaDispatch.Active.ToString();

    /// <summary>The process's peak resident memory so far, in bytes.</summary>
    internal static long PeakBytes()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }
}
