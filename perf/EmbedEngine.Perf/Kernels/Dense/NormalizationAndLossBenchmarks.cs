using BenchmarkDotNet.Attributes;
using EmbedEngine.Kernels;
using EmbedEngine.Kernels.Dense;

namespace EmbedEngine.Perf.Kernels.Dense;

/// <summary>
/// Layer norm forward and backward, cross-entropy, embedding gather and scatter-add, and the reductions: every
/// variant against the scalar reference.
/// </summary>
[Config(typeof(KernelBenchmarkConfig))]
public unsafe class NormalizationAndLossBenchmarks : DenseBenchmarkBase
{
    /// <summary>Rows of the embedding table the gather and scatter-add index.</summary>
    private const int TableRows = 1000;

    private float* _x, _y, _dy, _dx, _gamma, _beta, _mean, _rstd, _dGamma, _dBeta, _table;
    private int[] _indices = [], _targets = [];

    /// <summary>The kernel and direction.</summary>
    [Params("LayerNorm", "LayerNormBackward", "CrossEntropy", "Gather", "ScatterAdd", "Sum", "SumOfSquares", "Max", "ColumnSums")]
    public string Op { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _x = Matrix(4f);
        _y = Matrix();
        _dy = Matrix(1e-3f);
        _dx = Matrix();
        _gamma = Vector(Columns);
        _beta = Vector(Columns);
        _mean = Vector(Rows);
        _rstd = Vector(Rows);
        _dGamma = Vector(Columns, 0f);
        _dBeta = Vector(Columns, 0f);
        _table = Vector(TableRows * Columns);
        var random = new Random(7);
        _indices = new int[Rows];
        _targets = new int[Rows];
        for (int i = 0; i < Rows; i++)
        {
            _indices[i] = random.Next(TableRows);
            _targets[i] = random.Next(Columns);
        }
        LayerNormKernel.ForwardScalar(X, new(_gamma, Columns), new(_beta, Columns), 1e-5f, Y, new(_mean, Rows), new(_rstd, Rows));
    }

    private Span<float> X => new(_x, Length);

    private Span<float> Y => new(_y, Length);

    [Benchmark(Baseline = true)]
    public float Scalar() => Run(Isa.Scalar);

    [Benchmark]
    public float Avx2() => Run(Isa.Avx2);

    [Benchmark]
    public float Avx512() => Run(Isa.Avx512);

    private float Run(Isa isa)
    {
        Span<float> dy = new(_dy, Length), dx = new(_dx, Length), table = new(_table, TableRows * Columns);
        Span<float> gamma = new(_gamma, Columns), beta = new(_beta, Columns), mean = new(_mean, Rows), rstd = new(_rstd, Rows);
        Span<float> dGamma = new(_dGamma, Columns), dBeta = new(_dBeta, Columns);
        switch (Op)
        {
            case "LayerNorm":
                Pick(isa, LayerNormKernel.ForwardScalar, LayerNormKernel.ForwardAvx2, LayerNormKernel.ForwardAvx512)(X, gamma, beta, 1e-5f, Y, mean, rstd);
                return 0f;
            case "LayerNormBackward":
                Pick(isa, LayerNormKernel.BackwardScalar, LayerNormKernel.BackwardAvx2, LayerNormKernel.BackwardAvx512)(
                    X, gamma, mean, rstd, dy, dx, dGamma, dBeta);
                return 0f;
            case "CrossEntropy":
                return Pick(isa, CrossEntropyKernel.Scalar, CrossEntropyKernel.Avx2, CrossEntropyKernel.Avx512)(
                    X, _targets, dx, Columns, CrossEntropyKernel.DefaultIgnoreIndex);
            case "Gather":
                Pick(isa, EmbeddingKernel.GatherScalar, EmbeddingKernel.GatherAvx2, EmbeddingKernel.GatherAvx512)(table, Columns, _indices, Y);
                return 0f;
            case "ScatterAdd":
                Pick(isa, EmbeddingKernel.ScatterAddScalar, EmbeddingKernel.ScatterAddAvx2, EmbeddingKernel.ScatterAddAvx512)(dy, _indices, table, Columns);
                return 0f;
            case "Sum": return Pick(isa, ReductionKernel.SumScalar, ReductionKernel.SumAvx2, ReductionKernel.SumAvx512)(X);
            case "SumOfSquares": return Pick(isa, ReductionKernel.SumOfSquaresScalar, ReductionKernel.SumOfSquaresAvx2, ReductionKernel.SumOfSquaresAvx512)(X);
            case "Max": return Pick(isa, ReductionKernel.MaxScalar, ReductionKernel.MaxAvx2, ReductionKernel.MaxAvx512)(X);
            default:
                Pick(isa, ReductionKernel.AddColumnSumsScalar, ReductionKernel.AddColumnSumsAvx2, ReductionKernel.AddColumnSumsAvx512)(dy, dBeta);
                return 0f;
        }
    }
}
