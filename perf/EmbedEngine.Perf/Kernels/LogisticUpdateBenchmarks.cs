using BenchmarkDotNet.Attributes;
using EmbedEngine.Kernels;

namespace EmbedEngine.Perf.Kernels;

/// <summary>
/// <see cref="LogisticUpdateKernel"/> as word2vec's negative sampling calls it: one hidden vector against the true
/// word and five negatives (word2vec's default -negative 5), table sigmoid.
/// </summary>
[Config(typeof(KernelBenchmarkConfig))]
public unsafe class LogisticUpdateBenchmarks : IDisposable
{
    private const int Targets = SpeedShapes.SgnsOutputs;
    private const int TableRows = SpeedShapes.SgnsTableRows;
    private const float LearningRate = 0.025f;

    private NativeMatrix? _output, _hidden;
    private float[] _grad = [];
    private int[] _targets = [];
    private readonly float[] _labels = [1f, .. Enumerable.Repeat(0f, Targets - 1)];

    /// <summary>Vector length: the speed suite's <see cref="SpeedShapes.VectorDims"/>.</summary>
    [ParamsSource(nameof(Dims))]
    public int Dim { get; set; }

    /// <summary>The values of <see cref="Dim"/>.</summary>
    public static IEnumerable<int> Dims => SpeedShapes.VectorDims;

    [GlobalSetup]
    public void Setup()
    {
        _output = BenchmarkData.Matrix(TableRows, Dim, salt: 1);
        _hidden = BenchmarkData.Matrix(1, Dim, salt: 2);
        _grad = new float[Dim];
        _targets = BenchmarkData.DistinctRows(Targets, TableRows);
    }

    private ReadOnlySpan<float> Hidden => new(_hidden!.Data, Dim);

    [Benchmark(Baseline = true)]
    public float Scalar() =>
        LogisticUpdateKernel.Scalar(Hidden, OutputRows.Of(_output!), _targets, _labels, LearningRate, _grad, SigmoidMode.Table);

    [Benchmark]
    public float Avx2() =>
        LogisticUpdateKernel.Avx2(Hidden, OutputRows.Of(_output!), _targets, _labels, LearningRate, _grad, SigmoidMode.Table);

    [Benchmark]
    public float Avx512() =>
        LogisticUpdateKernel.Avx512(Hidden, OutputRows.Of(_output!), _targets, _labels, LearningRate, _grad, SigmoidMode.Table);

    [GlobalCleanup]
    public void Dispose()
    {
        _output?.Dispose();
        _hidden?.Dispose();
        GC.SuppressFinalize(this);
    }
}
