using BenchmarkDotNet.Attributes;
using EmbedEngine.Kernels;

namespace EmbedEngine.Perf.Kernels;

/// <summary>
/// <see cref="SoftmaxUpdateKernel"/> as the classifier calls it: one averaged hidden vector against every label
/// row, from two labels (spam or ham) to a hundred (a topic set).
/// </summary>
[Config(typeof(KernelBenchmarkConfig))]
public unsafe class SoftmaxUpdateBenchmarks : IDisposable
{
    private const float LearningRate = 0.1f;

    private NativeMatrix? _output, _hidden;
    private float[] _grad = [], _probabilities = [];

    /// <summary>Vector length (fastText's classifier default is 100).</summary>
    [Params(100)]
    public int Dim { get; set; }

    /// <summary>Labels: rows of the output matrix.</summary>
    [Params(2, 100)]
    public int Labels { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _output = BenchmarkData.Matrix(Labels, Dim, salt: 1);
        _hidden = BenchmarkData.Matrix(1, Dim, salt: 2);
        _grad = new float[Dim];
        _probabilities = new float[Labels];
    }

    private ReadOnlySpan<float> Hidden => new(_hidden!.Data, Dim);

    [Benchmark(Baseline = true)]
    public float Scalar() =>
        SoftmaxUpdateKernel.Scalar(Hidden, _output!.Data, _output.Stride, 0, LearningRate, _grad, _probabilities);

    [Benchmark]
    public float Avx2() =>
        SoftmaxUpdateKernel.Avx2(Hidden, _output!.Data, _output.Stride, 0, LearningRate, _grad, _probabilities);

    [Benchmark]
    public float Avx512() =>
        SoftmaxUpdateKernel.Avx512(Hidden, _output!.Data, _output.Stride, 0, LearningRate, _grad, _probabilities);

    [GlobalCleanup]
    public void Dispose()
    {
        _output?.Dispose();
        _hidden?.Dispose();
        GC.SuppressFinalize(this);
    }
}
