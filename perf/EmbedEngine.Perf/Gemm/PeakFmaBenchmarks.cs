using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using EmbedEngine.Perf.Kernels;

namespace EmbedEngine.Perf.Gemm;

/// <summary>
/// This core's peak fp32 rate: sixteen independent Vector512 FMA chains, more than latency (4 cycles on Zen 4 and
/// 5) × FMA pipes (2) × 2, so the pipes never wait on a result, and all of them in registers (checked with
/// DOTNET_JitDisasm). GEMM's GFLOP/s divided by this one is its fraction of peak.
/// </summary>
[Config(typeof(Config))]
public class PeakFmaBenchmarks
{
    /// <summary>Steps of every chain per invocation: 2²⁰ × 16 chains × 16 lanes × 2 flops ≈ 0.5 GFLOP.</summary>
    private const int Steps = 1 << 20;

    private const int Chains = 16;

    // x·s + t with s just below 1 converges to t/(1 − s) = 1: no overflow, no denormals, however long it runs.
    private readonly Vector512<float> _scale = Vector512.Create(0.999f), _shift = Vector512.Create(0.001f);

    /// <summary>Vector512 FMAs.</summary>
    [Benchmark]
    public Vector512<float> PeakFmaAvx512()
    {
        Vector512<float> s = _scale, t = _shift;
        Vector512<float> c0 = Vector512.Create(0.10f), c1 = Vector512.Create(0.11f), c2 = Vector512.Create(0.12f), c3 = Vector512.Create(0.13f),
            c4 = Vector512.Create(0.14f), c5 = Vector512.Create(0.15f), c6 = Vector512.Create(0.16f), c7 = Vector512.Create(0.17f),
            c8 = Vector512.Create(0.18f), c9 = Vector512.Create(0.19f), c10 = Vector512.Create(0.20f), c11 = Vector512.Create(0.21f),
            c12 = Vector512.Create(0.22f), c13 = Vector512.Create(0.23f), c14 = Vector512.Create(0.24f), c15 = Vector512.Create(0.25f);
        for (int i = 0; i < Steps; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, s, t); c1 = Vector512.FusedMultiplyAdd(c1, s, t);
            c2 = Vector512.FusedMultiplyAdd(c2, s, t); c3 = Vector512.FusedMultiplyAdd(c3, s, t);
            c4 = Vector512.FusedMultiplyAdd(c4, s, t); c5 = Vector512.FusedMultiplyAdd(c5, s, t);
            c6 = Vector512.FusedMultiplyAdd(c6, s, t); c7 = Vector512.FusedMultiplyAdd(c7, s, t);
            c8 = Vector512.FusedMultiplyAdd(c8, s, t); c9 = Vector512.FusedMultiplyAdd(c9, s, t);
            c10 = Vector512.FusedMultiplyAdd(c10, s, t); c11 = Vector512.FusedMultiplyAdd(c11, s, t);
            c12 = Vector512.FusedMultiplyAdd(c12, s, t); c13 = Vector512.FusedMultiplyAdd(c13, s, t);
            c14 = Vector512.FusedMultiplyAdd(c14, s, t); c15 = Vector512.FusedMultiplyAdd(c15, s, t);
        }
        return ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11)) + ((c12 + c13) + (c14 + c15));
    }

    /// <summary>The kernel job and a GFLOP/s column.</summary>
    public sealed class Config : ManualConfig
    {
        /// <summary>Creates the config.</summary>
        public Config()
        {
            Add(new KernelBenchmarkConfig());
            AddColumn(GflopsColumn.WithTimes(_ => 2.0 * Steps * Chains * Vector512<float>.Count));
        }
    }
}
