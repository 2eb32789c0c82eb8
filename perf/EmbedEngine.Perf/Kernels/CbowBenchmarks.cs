using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using EmbedEngine.Kernels;

namespace EmbedEngine.Perf.Kernels;

/// <summary>
/// <see cref="CbowKernel"/>'s two entry points over a window of eight context rows (word2vec's -window 5 gives up
/// to ten); each has its own baseline through its category.
/// </summary>
[Config(typeof(KernelBenchmarkConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public unsafe class CbowBenchmarks : IDisposable
{
    private const int ContextRows = SpeedShapes.SgnsContextRows;
    private const int InputRows = SpeedShapes.SgnsTableRows;

    private NativeMatrix? _input;
    private float[] _vector = [];
    private int[] _context = [];

    /// <summary>Vector length: the speed suite's <see cref="SpeedShapes.VectorDims"/>.</summary>
    [ParamsSource(nameof(Dims))]
    public int Dim { get; set; }

    /// <summary>The values of <see cref="Dim"/>.</summary>
    public static IEnumerable<int> Dims => SpeedShapes.VectorDims;

    [GlobalSetup]
    public void Setup()
    {
        _input = BenchmarkData.Matrix(InputRows, Dim, salt: 3);
        _vector = new float[Dim];
        _context = BenchmarkData.DistinctRows(ContextRows, InputRows, salt: 4);
        // A tiny gradient keeps the scattered rows bounded however many calls a run makes.
        for (int c = 0; c < Dim; c++) _vector[c] = 1e-6f * (c % 2 == 0 ? 1 : -1);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Average")]
    public void AverageScalar() => CbowKernel.AverageScalar(_input!.Data, _input.Stride, _context, _vector);

    [Benchmark]
    [BenchmarkCategory("Average")]
    public void AverageAvx2() => CbowKernel.AverageAvx2(_input!.Data, _input.Stride, _context, _vector);

    [Benchmark]
    [BenchmarkCategory("Average")]
    public void AverageAvx512() => CbowKernel.AverageAvx512(_input!.Data, _input.Stride, _context, _vector);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Scatter")]
    public void ScatterScalar() => CbowKernel.ScatterScalar(_input!.Data, _input.Stride, _context, _vector);

    [Benchmark]
    [BenchmarkCategory("Scatter")]
    public void ScatterAvx2() => CbowKernel.ScatterAvx2(_input!.Data, _input.Stride, _context, _vector);

    [Benchmark]
    [BenchmarkCategory("Scatter")]
    public void ScatterAvx512() => CbowKernel.ScatterAvx512(_input!.Data, _input.Stride, _context, _vector);

    [GlobalCleanup]
    public void Dispose()
    {
        _input?.Dispose();
        GC.SuppressFinalize(this);
    }
}
