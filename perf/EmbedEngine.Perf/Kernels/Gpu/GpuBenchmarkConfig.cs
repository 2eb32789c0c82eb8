using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Running;
using EmbedEngine.Kernels.Gpu;

namespace EmbedEngine.Perf.Kernels.Gpu;

/// <summary>
/// The kernel suite's short job for GPU benchmarks, which run only when <c>EMBED_DEVICE</c> names a CUDA device
/// (<c>EMBED_DEVICE=cuda</c>): on the emulated device a launch costs milliseconds, so its timings say nothing.
/// </summary>
public sealed class GpuBenchmarkConfig : ManualConfig
{
    /// <summary>Creates the config.</summary>
    public GpuBenchmarkConfig()
    {
        Add(new KernelBenchmarkConfig());
        AddFilter(new OnCudaOnly());
    }

    /// <summary>Whether <c>EMBED_DEVICE</c> names a CUDA device.</summary>
    public static bool CudaNamed =>
        Environment.GetEnvironmentVariable(GpuDevice.EnvironmentVariable) is { } spec && spec.Trim().StartsWith("cuda", StringComparison.OrdinalIgnoreCase);

    private sealed class OnCudaOnly : IFilter
    {
        public bool Predicate(BenchmarkCase benchmarkCase) => CudaNamed;
    }
}
