using BenchmarkDotNet.Attributes;
using EmbedEngine.Kernels;

namespace EmbedEngine.Perf.Kernels;

/// <summary>
/// <see cref="SubwordKernel"/> on the 19 rows of a six-letter word (its own row and 18 n-grams of 3 to 6
/// characters), beside CBOW's separate scatter and average passes that it fuses.
/// </summary>
[Config(typeof(KernelBenchmarkConfig))]
public unsafe class SubwordBenchmarks : IDisposable
{
    private const int SubwordRows = 19;
    private const int InputRows = 16_384;

    private NativeMatrix? _input;
    private float[] _grad = [];
    private float[] _average = [];
    private int[] _rows = [];

    /// <summary>Vector length.</summary>
    [Params(100, 200, 300)]
    public int Dim { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _input = BenchmarkData.Matrix(InputRows, Dim, salt: 5);
        _grad = new float[Dim];
        _average = new float[Dim];
        _rows = BenchmarkData.DistinctRows(SubwordRows, InputRows, salt: 6);
        // A tiny gradient keeps the scattered rows bounded however many calls a run makes.
        for (int c = 0; c < Dim; c++) _grad[c] = 1e-6f * (c % 2 == 0 ? 1 : -1);
    }

    [Benchmark(Baseline = true)]
    public void Scalar() => SubwordKernel.Scalar(_input!.Data, _input.Stride, _rows, _grad, _average);

    [Benchmark]
    public void Avx2() => SubwordKernel.Avx2(_input!.Data, _input.Stride, _rows, _grad, _average);

    [Benchmark]
    public void Avx512() => SubwordKernel.Avx512(_input!.Data, _input.Stride, _rows, _grad, _average);

    /// <summary>What the fusion replaces: a full scatter pass, then a full average pass.</summary>
    [Benchmark]
    public void SeparatePassesAvx512()
    {
        CbowKernel.ScatterAvx512(_input!.Data, _input.Stride, _rows, _grad);
        CbowKernel.AverageAvx512(_input.Data, _input.Stride, _rows, _average);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _input?.Dispose();
        GC.SuppressFinalize(this);
    }
}
