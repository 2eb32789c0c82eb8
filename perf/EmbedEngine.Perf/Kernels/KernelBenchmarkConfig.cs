using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using EmbedEngine.Kernels;
using Perfolizer.Horology;

namespace EmbedEngine.Perf.Kernels;

/// <summary>
/// The short job every kernel benchmark runs: kernels take nanoseconds to microseconds and are steady, so a few
/// short iterations give stable ratios and the whole kernel suite finishes in a few minutes. In-process, because
/// the benchmarks only call into already-built kernels and a separate build per run would dominate.
/// Variants this CPU cannot run are filtered out rather than failing.
/// </summary>
public sealed class KernelBenchmarkConfig : ManualConfig
{
    /// <summary>Iterations measured per benchmark.</summary>
    private const int Iterations = 10;

    /// <summary>Target duration of one iteration; BenchmarkDotNet picks the invocation count to fill it.</summary>
    private const int IterationMilliseconds = 100;

    /// <summary>Creates the config.</summary>
    public KernelBenchmarkConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(Iterations)
            .WithIterationTime(TimeInterval.FromMilliseconds(IterationMilliseconds))
            .WithId("KernelShort"));
        AddFilter(new SupportedVariantFilter());
    }

    /// <summary>Keeps a benchmark only if the CPU runs the variant its method name ends with.</summary>
    private sealed class SupportedVariantFilter : IFilter
    {
        public bool Predicate(BenchmarkCase benchmarkCase)
        {
            string name = benchmarkCase.Descriptor.WorkloadMethod.Name;
            if (name.EndsWith(nameof(Isa.Avx512), StringComparison.Ordinal)) return IsaDispatch.IsSupported(Isa.Avx512);
            if (name.EndsWith(nameof(Isa.Avx2), StringComparison.Ordinal)) return IsaDispatch.IsSupported(Isa.Avx2);
            return true;
        }
    }
}
