using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using EmbedEngine.Kernels.Speed.Probes;
using EmbedEngine.Perf.Kernels;

namespace EmbedEngine.Perf.Gemm;

/// <summary>
/// This core's peak fp32 rate (<see cref="PeakFma"/>, the probe <c>embed bench speed</c> runs too). GEMM's GFLOP/s
/// divided by this one is its fraction of peak.
/// </summary>
[Config(typeof(Config))]
public class PeakFmaBenchmarks
{
    /// <summary>Steps of every chain per invocation: 2²⁰ × 12 chains × 16 lanes × 2 flops ≈ 0.4 GFLOP.</summary>
    private const int Steps = 1 << 20;

    /// <summary>Vector512 FMAs.</summary>
    [Benchmark]
    public float PeakFmaAvx512() => PeakFma.Avx512(Steps);

    /// <summary>The kernel job and a GFLOP/s column.</summary>
    public sealed class Config : ManualConfig
    {
        /// <summary>Creates the config.</summary>
        public Config()
        {
            Add(new KernelBenchmarkConfig());
            AddColumn(GflopsColumn.WithTimes(_ => PeakFma.Flops(Steps, Vector512<float>.Count)));
        }
    }
}
