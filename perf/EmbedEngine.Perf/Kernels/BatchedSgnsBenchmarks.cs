using BenchmarkDotNet.Attributes;
using EmbedEngine.Kernels;

namespace EmbedEngine.Perf.Kernels;

/// <summary>
/// <see cref="BatchedSgnsKernel"/> on one skip-gram window: eight context rows against the true word and five
/// shared negatives. <see cref="PerPairAvx512"/> does the same window's work the per-pair way
/// (<see cref="LogisticUpdateKernel"/> then <see cref="AxpyKernel"/> for each context row, as the plain skip-gram
/// trainer does) so the gain of batching shows in the same run.
/// </summary>
[Config(typeof(KernelBenchmarkConfig))]
public unsafe class BatchedSgnsBenchmarks : IDisposable
{
    private const int ContextRows = SpeedShapes.SgnsContextRows;
    private const int Outputs = SpeedShapes.SgnsOutputs;
    private const int Rows = SpeedShapes.SgnsTableRows;
    private const float LearningRate = 0.025f;

    private NativeMatrix? _input, _output;
    private int[] _context = [], _targets = [];
    private float[] _scratch = [], _grad = [];
    private readonly float[] _labels = [1f, 0f, 0f, 0f, 0f, 0f];

    /// <summary>Vector length: the speed suite's <see cref="SpeedShapes.VectorDims"/>.</summary>
    [ParamsSource(nameof(Dims))]
    public int Dim { get; set; }

    /// <summary>The values of <see cref="Dim"/>.</summary>
    public static IEnumerable<int> Dims => SpeedShapes.VectorDims;

    [GlobalSetup]
    public void Setup()
    {
        _input = BenchmarkData.Matrix(Rows, Dim, salt: 5);
        _output = BenchmarkData.Matrix(Rows, Dim, salt: 6);
        _context = BenchmarkData.DistinctRows(ContextRows, Rows, salt: 7);
        _targets = BenchmarkData.DistinctRows(Outputs, Rows, salt: 8);
        _scratch = new float[BatchedSgnsKernel.ScratchLength(ContextRows, Outputs, Dim)];
        _grad = new float[Dim];
    }

    [Benchmark(Baseline = true)]
    public float Scalar() => BatchedSgnsKernel.Scalar(_input!.Data, _input.Stride, _context, _output!.Data, _output.Stride,
        _targets, Dim, LearningRate, _scratch, SigmoidMode.Table);

    [Benchmark]
    public float Avx2() => BatchedSgnsKernel.Avx2(_input!.Data, _input.Stride, _context, _output!.Data, _output.Stride,
        _targets, Dim, LearningRate, _scratch, SigmoidMode.Table);

    [Benchmark]
    public float Avx512() => BatchedSgnsKernel.Avx512(_input!.Data, _input.Stride, _context, _output!.Data, _output.Stride,
        _targets, Dim, LearningRate, _scratch, SigmoidMode.Table);

    [Benchmark]
    public float PerPairAvx512()
    {
        float loss = 0f;
        foreach (int word in _context)
        {
            var row = new Span<float>(_input!.RowPointer(word), Dim);
            Array.Clear(_grad);
            loss += LogisticUpdateKernel.Avx512(row, OutputRows.Of(_output!), _targets, _labels, LearningRate, _grad, SigmoidMode.Table);
            AxpyKernel.Avx512(1f, _grad, row);
        }
        return loss;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _input?.Dispose();
        _output?.Dispose();
        GC.SuppressFinalize(this);
    }
}
