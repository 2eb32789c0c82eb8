using BenchmarkDotNet.Attributes;
using EmbedEngine.Kernels;

namespace EmbedEngine.Perf.Kernels;

/// <summary>
/// <see cref="TopKCosineKernel"/>'s score pass (the matrix-vector product a nearest-neighbour query spends its time
/// in) over <see cref="SpeedShapes.TopKRows"/> rows at <see cref="SpeedShapes.VectorDims"/>, the problem
/// <c>embed bench speed</c> times.
/// </summary>
[Config(typeof(KernelBenchmarkConfig))]
public unsafe class TopKCosineBenchmarks : IDisposable
{
    private const int Rows = SpeedShapes.TopKRows;

    private NativeMatrix? _matrix, _query;
    private float[] _scores = [];

    /// <summary>Vector length.</summary>
    [ParamsSource(nameof(Dims))]
    public int Dim { get; set; }

    /// <summary>The values of <see cref="Dim"/>.</summary>
    public static IEnumerable<int> Dims => SpeedShapes.VectorDims;

    [GlobalSetup]
    public void Setup()
    {
        _matrix = BenchmarkData.Matrix(Rows, Dim, salt: 9);
        _query = BenchmarkData.Matrix(1, Dim, salt: 10);
        _scores = new float[Rows];
    }

    private ReadOnlySpan<float> Query => new(_query!.Data, Dim);

    [Benchmark(Baseline = true)]
    public void ScoresScalar() => TopKCosineKernel.ScoresScalar(_matrix!.Data, _matrix.Stride, Rows, Query, _scores);

    [Benchmark]
    public void ScoresAvx2() => TopKCosineKernel.ScoresAvx2(_matrix!.Data, _matrix.Stride, Rows, Query, _scores);

    [Benchmark]
    public void ScoresAvx512() => TopKCosineKernel.ScoresAvx512(_matrix!.Data, _matrix.Stride, Rows, Query, _scores);

    [GlobalCleanup]
    public void Dispose()
    {
        _matrix?.Dispose();
        _query?.Dispose();
        GC.SuppressFinalize(this);
    }
}
