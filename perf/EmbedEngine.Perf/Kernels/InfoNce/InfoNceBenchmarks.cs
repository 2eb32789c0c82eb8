using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Running;
using EmbedEngine.Kernels.Dense;

namespace EmbedEngine.Perf.Kernels.InfoNce;

/// <summary>
/// The fused InfoNCE loss, forward and backward in one call, every variant side by side at N 256 and 4,096 and d 128
/// and 512 on 2 threads. The scalar reference (one thread, the whole N × N logits) runs only at N 256: at 4,096 one
/// call takes tens of seconds. N 32,768 is timed by <see cref="InfoNceMemory"/>, which also reports its memory.
/// </summary>
[Config(typeof(InfoNceBenchmarkConfig))]
public unsafe class InfoNceBenchmarks : IDisposable
{
    private const int Threads = 2;

    private InfoNceOperands? _operands;

    /// <summary>Pairs in the batch.</summary>
    [Params(256, 4096)]
    public int N { get; set; }

    /// <summary>Embedding width.</summary>
    [Params(128, 512)]
    public int D { get; set; }

    [GlobalSetup]
    public void Setup() => _operands = new InfoNceOperands(N, D);

    [Benchmark(Baseline = true)]
    public float Scalar()
    {
        InfoNceOperands o = _operands!;
        return InfoNceKernel.Scalar(o.Image, o.Text, o.N, 0, o.D, InfoNceOperands.InitialLogScale, InfoNceKernel.ClipMaxScale,
            o.ImageGrad, o.TextGrad, o.LogScaleGrad);
    }

    [Benchmark]
    public float Avx2()
    {
        InfoNceOperands o = _operands!;
        return InfoNceKernel.Avx2(o.Image, o.Text, o.N, 0, o.D, InfoNceOperands.InitialLogScale, InfoNceKernel.ClipMaxScale,
            o.ImageGrad, o.TextGrad, o.LogScaleGrad, Threads);
    }

    [Benchmark]
    public float Avx512()
    {
        InfoNceOperands o = _operands!;
        return InfoNceKernel.Avx512(o.Image, o.Text, o.N, 0, o.D, InfoNceOperands.InitialLogScale, InfoNceKernel.ClipMaxScale,
            o.ImageGrad, o.TextGrad, o.LogScaleGrad, Threads);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _operands?.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The kernel suite's short job, the scalar reference at N 256 only.</summary>
public sealed class InfoNceBenchmarkConfig : ManualConfig
{
    /// <summary>Creates the config.</summary>
    public InfoNceBenchmarkConfig()
    {
        Add(new KernelBenchmarkConfig());
        AddFilter(new ScalarOnSmallBatches());
    }

    private sealed class ScalarOnSmallBatches : IFilter
    {
        public bool Predicate(BenchmarkCase benchmarkCase) =>
            !benchmarkCase.Descriptor.WorkloadMethod.Name.EndsWith("Scalar", StringComparison.Ordinal)
            || benchmarkCase.Parameters["N"] is 256;
    }
}
