using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using EmbedEngine.Kernels;

namespace EmbedEngine.Perf.Kernels;

/// <summary>
/// The sparse kernels as randomized SVD calls them: <see cref="SparseDenseProductKernel"/> multiplies a block of
/// PPMI-like rows (Zipf-like row lengths, random columns) by a tall dense sketch of <see cref="Width"/> columns, and
/// <see cref="SparseRowNormsKernel"/> takes every row's norm. The dense matrix (4096 padded rows) fits in L2/L3,
/// as a slice of a real sketch does between the threads' row blocks.
/// </summary>
[Config(typeof(KernelBenchmarkConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public unsafe class SparseBenchmarks : IDisposable
{
    private const int DenseRows = 4096;
    private const int SparseRows = 256;
    private const int LongestRow = 1024;

    private NativeMatrix? _dense, _output;
    private long[] _rowStarts = [];
    private int[] _columns = [];
    private float[] _values = [], _norms = [];

    /// <summary>Columns of the sketch: GloVe-sized vectors plus oversampling, and a wider one.</summary>
    [Params(210, 320)]
    public int Width { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dense = BenchmarkData.Matrix(DenseRows, Width, salt: 3);
        _output = NativeMatrix.Allocate(SparseRows, Width, padRows: true);
        var random = new Random(2015);
        _rowStarts = new long[SparseRows + 1];
        var columns = new List<int>();
        for (int r = 0; r < SparseRows; r++)
        {
            // LongestRow/m nonzeros for m uniform in 1..32, about 130 on average: a few long rows (frequent words),
            // many short ones. (The PPMI matrix of the 2.2M-word acceptance corpus averages 320 per row.)
            int length = LongestRow / (1 + random.Next(32));
            var picked = new SortedSet<int>();
            while (picked.Count < length) picked.Add(random.Next(DenseRows));
            columns.AddRange(picked);
            _rowStarts[r + 1] = columns.Count;
        }
        _columns = [.. columns];
        _values = new float[_columns.Length];
        for (int j = 0; j < _values.Length; j++) _values[j] = (float)random.NextDouble() * 4;
        _norms = new float[SparseRows];
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
        variant(_rowStarts, _columns, _values, 0, SparseRows, _dense!.Data, _dense.Stride, Width, _output!.Data, _output.Stride);

    [GlobalCleanup]
    public void Dispose()
    {
        _dense?.Dispose();
        _output?.Dispose();
        GC.SuppressFinalize(this);
    }
}
