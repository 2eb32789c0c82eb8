using BenchmarkDotNet.Attributes;
using EmbedEngine.Kernels;
using EmbedEngine.Kernels.Dense;

namespace EmbedEngine.Perf.Kernels.Dense;

/// <summary>Softmax, log-softmax and the element-wise activations, forward and backward: every variant against the scalar reference.</summary>
[Config(typeof(KernelBenchmarkConfig))]
public unsafe class ActivationBenchmarks : DenseBenchmarkBase
{
    private float* _x, _y, _dy, _dx;

    /// <summary>The kernel and direction.</summary>
    [Params("Softmax", "SoftmaxBackward", "LogSoftmax", "LogSoftmaxBackward", "Gelu", "GeluBackward", "Tanh", "TanhBackward",
        "Sigmoid", "SigmoidBackward", "Relu", "ReluBackward", "Dropout")]
    public string Op { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _x = Matrix(4f);
        _y = Matrix();
        _dy = Matrix();
        _dx = Matrix();
        // Backward passes read a forward output: a softmax row or log-probabilities, tanh or σ values.
        Run(Isa.Scalar);
    }

    [Benchmark(Baseline = true)]
    public void Scalar() => Run(Isa.Scalar);

    [Benchmark]
    public void Avx2() => Run(Isa.Avx2);

    [Benchmark]
    public void Avx512() => Run(Isa.Avx512);

    private void Run(Isa isa)
    {
        ReadOnlySpan<float> x = new(_x, Length), dy = new(_dy, Length);
        Span<float> y = new(_y, Length), dx = new(_dx, Length);
        switch (Op)
        {
            case "Softmax": Pick(isa, SoftmaxKernel.ForwardScalar, SoftmaxKernel.ForwardAvx2, SoftmaxKernel.ForwardAvx512)(x, y, Columns); break;
            case "SoftmaxBackward": Pick(isa, SoftmaxKernel.BackwardScalar, SoftmaxKernel.BackwardAvx2, SoftmaxKernel.BackwardAvx512)(y, dy, dx, Columns); break;
            case "LogSoftmax": Pick(isa, LogSoftmaxKernel.ForwardScalar, LogSoftmaxKernel.ForwardAvx2, LogSoftmaxKernel.ForwardAvx512)(x, y, Columns); break;
            case "LogSoftmaxBackward": Pick(isa, LogSoftmaxKernel.BackwardScalar, LogSoftmaxKernel.BackwardAvx2, LogSoftmaxKernel.BackwardAvx512)(y, dy, dx, Columns); break;
            case "Gelu": Pick(isa, GeluKernel.ForwardScalar, GeluKernel.ForwardAvx2, GeluKernel.ForwardAvx512)(x, y); break;
            case "GeluBackward": Pick(isa, GeluKernel.BackwardScalar, GeluKernel.BackwardAvx2, GeluKernel.BackwardAvx512)(x, dy, dx); break;
            case "Tanh": Pick(isa, TanhKernel.ForwardScalar, TanhKernel.ForwardAvx2, TanhKernel.ForwardAvx512)(x, y); break;
            case "TanhBackward": Pick(isa, TanhKernel.BackwardScalar, TanhKernel.BackwardAvx2, TanhKernel.BackwardAvx512)(y, dy, dx); break;
            case "Sigmoid": Pick(isa, SigmoidKernel.ForwardScalar, SigmoidKernel.ForwardAvx2, SigmoidKernel.ForwardAvx512)(x, y); break;
            case "SigmoidBackward": Pick(isa, SigmoidKernel.BackwardScalar, SigmoidKernel.BackwardAvx2, SigmoidKernel.BackwardAvx512)(y, dy, dx); break;
            case "Relu": Pick(isa, ReluKernel.ForwardScalar, ReluKernel.ForwardAvx2, ReluKernel.ForwardAvx512)(x, y); break;
            case "ReluBackward": Pick(isa, ReluKernel.BackwardScalar, ReluKernel.BackwardAvx2, ReluKernel.BackwardAvx512)(x, dy, dx); break;
            default: Pick(isa, DropoutKernel.Scalar, DropoutKernel.Avx2, DropoutKernel.Avx512)(x, y, 0.1f, 7u); break;
        }
    }
}
