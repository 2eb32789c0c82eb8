using BenchmarkDotNet.Running;
using EmbedEngine.Perf.Kernels.Attention;
using EmbedEngine.Perf.Kernels.InfoNce;
using EmbedEngine.Perf.Serving;

namespace EmbedEngine.Perf;

/// <summary>
/// Entry point for every benchmark in this project; pick with BenchmarkDotNet's switches, e.g.
/// <c>dotnet run -c Release --project perf/EmbedEngine.Perf -- --filter '*Dot*'</c> or <c>--filter '*Kernels*'</c>;
/// <c>--attention-memory</c> runs <see cref="AttentionMemory"/> instead, <c>--infonce-memory</c> <see cref="InfoNceMemory"/>,
/// <c>--serve-load</c> <see cref="ServeLoad"/> (against a running <c>embed serve</c>).
/// </summary>
public static class Program
{
    /// <summary>Runs the benchmarks <paramref name="args"/> select (an interactive menu when there are none).</summary>
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == AttentionMemory.Switch) AttentionMemory.Run(args.AsSpan(1));
        else if (args.Length > 0 && args[0] == InfoNceMemory.Switch) InfoNceMemory.Run(args.AsSpan(1));
        else if (args.Length > 0 && args[0] == ServeLoad.Switch) ServeLoad.Run(args.AsSpan(1));
        else BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
