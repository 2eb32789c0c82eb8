using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Parameters;
using EmbedEngine.Perf.Kernels;

namespace EmbedEngine.Perf.Gemm;

/// <summary>The kernel job plus a GFLOP/s column: 2·m·n·k per product, from the <c>Shape</c> parameter.</summary>
public sealed class GemmBenchmarkConfig : ManualConfig
{
    /// <summary>Creates the config.</summary>
    public GemmBenchmarkConfig()
    {
        Add(new KernelBenchmarkConfig());
        AddColumn(GflopsColumn.WithTimes(Flops));
    }

    /// <summary>m, n and k of a shape written "m×n×k" (with an x) or as one number for a square product.</summary>
    public static (int M, int N, int K) Size(string shape)
    {
        int[] sides = Array.ConvertAll(shape.Split('x'), int.Parse);
        return sides.Length == 1 ? (sides[0], sides[0], sides[0]) : (sides[0], sides[1], sides[2]);
    }

    private static double Flops(ParameterInstances parameters)
    {
        var (m, n, k) = Size((string)parameters["Shape"]);
        return 2.0 * m * n * k;
    }
}
