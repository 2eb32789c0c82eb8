using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Running;
using EmbedEngine.Kernels.Dense;

namespace EmbedEngine.Perf.Kernels.InfoNce;

/// <summary>
/// The fused InfoNCE loss, forward and backward in one call, every variant side by side at N 256 and 4,096 and d 128
/// and 512 on 1 and 2 threads; N 256, d 128 on one thread is the speed suite's problem (<see cref="SpeedShapes.InfoNceBatch"/>,
/// <see cref="SpeedShapes.InfoNceDim"/>). The scalar reference (one thread, the whole N × N logits) runs only at N 256
/// and once: at 4,096 one call takes tens of seconds. N 32,768 is timed by <see cref="InfoNceMemory"/>, which also
/// reports its memory.
/// </summary>
[Config(typeof(InfoNceBenchmarkConfig))]
public unsafe class InfoNceBenchmarks : IDisposable
{
    private InfoNceOperands? _operands;

    /// <summary>Pairs in the batch.</summary>
    [ParamsSource(nameof(Batches))]
    public int N { get; set; }

    /// <summary>Embedding width.</summary>
    [ParamsSource(nameof(Dims))]
    public int D { get; set; }

    /// <summary>Threads the vector variants use (the scalar reference uses one).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>The values of <see cref="N"/>: the speed suite's, and a large batch.</summary>
    public static IEnumerable<int> Batches => [SpeedShapes.InfoNceBatch, 4096];

    /// <summary>The values of <see cref="D"/>: the speed suite's, and a wide one.</summary>
    public static IEnumerable<int> Dims => [SpeedShapes.InfoNceDim, 512];

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

/// <summary>The kernel suite's short job, the scalar reference at N 256 on one thread only.</summary>
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
            || (benchmarkCase.Parameters["N"] is SpeedShapes.InfoNceBatch && benchmarkCase.Parameters["Threads"] is 1);
    }
}
