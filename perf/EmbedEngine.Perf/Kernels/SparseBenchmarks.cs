using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using EmbedEngine.Kernels;

namespace EmbedEngine.Perf.Kernels;

/// <summary>
/// The sparse kernels as randomized SVD calls them: <see cref="SparseDenseProductKernel"/> multiplies a block of
/// PPMI-like rows (<see cref="BenchmarkData.PpmiLikeRows"/>) by a tall dense sketch of <see cref="Width"/> columns, and
/// <see cref="SparseRowNormsKernel"/> takes every row's norm, on <see cref="SpeedShapes"/>' sparse problem as
/// <c>embed bench speed</c> times it. The dense matrix (4096 padded rows) fits in L2/L3, as a slice of a real sketch
/// does between the threads' row blocks.
/// </summary>
[Config(typeof(KernelBenchmarkConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public unsafe class SparseBenchmarks : IDisposable
{
    private NativeMatrix? _dense, _output;
    private long[] _rowStarts = [];
    private int[] _columns = [];
    private float[] _values = [], _norms = [];

    /// <summary>Columns of the sketch (<see cref="SpeedShapes.SparseWidths"/>).</summary>
    [ParamsSource(nameof(Widths))]
    public int Width { get; set; }

    /// <summary>The values of <see cref="Width"/>.</summary>
    public static IEnumerable<int> Widths => SpeedShapes.SparseWidths;

    [GlobalSetup]
    public void Setup()
    {
        _dense = BenchmarkData.Matrix(SpeedShapes.SparseDenseRows, Width, salt: 3);
        _output = NativeMatrix.Allocate(SpeedShapes.SparseRows, Width, padRows: true);
        (_rowStarts, _columns, _values) = BenchmarkData.PpmiLikeRows(SpeedShapes.SparseRows, SpeedShapes.SparseDenseRows, SpeedShapes.SparseLongestRow);
        _norms = new float[SpeedShapes.SparseRows];
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Product")]
    public void ProductScalar() => Product(&SparseDenseProductKernel.Scalar);

    [Benchmark]
    [BenchmarkCategory("Product")]
    public void ProductAvx2() => Product(&SparseDenseProductKernel.Avx2);

    [Benchmark]
    [BenchmarkCategory("Product")]
    public void ProductAvx512() => Product(&SparseDenseProductKernel.Avx512);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Norms")]
    public void NormsScalar() => SparseRowNormsKernel.Scalar(_rowStarts, _values, _norms);

    [Benchmark]
    [BenchmarkCategory("Norms")]
    public void NormsAvx2() => SparseRowNormsKernel.Avx2(_rowStarts, _values, _norms);

    [Benchmark]
    [BenchmarkCategory("Norms")]
    public void NormsAvx512() => SparseRowNormsKernel.Avx512(_rowStarts, _values, _norms);

    /// <summary>Every sparse row through <paramref name="variant"/>: one loop for every variant.</summary>
    private void Product(delegate*<ReadOnlySpan<long>, ReadOnlySpan<int>, ReadOnlySpan<float>, int, int, float*, nint, int, float*, nint, void> variant) =>
        variant(_rowStarts, _columns, _values, 0, SpeedShapes.SparseRows, _dense!.Data, _dense.Stride, Width, _output!.Data, _output.Stride);

    [GlobalCleanup]
    public void Dispose()
    {
        _dense?.Dispose();
        _output?.Dispose();
        GC.SuppressFinalize(this);
    }
}
