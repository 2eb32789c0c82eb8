using BenchmarkDotNet.Attributes;
using EmbedEngine.Kernels.Dense.Attention;

namespace EmbedEngine.Perf.Kernels.Attention;

/// <summary>
/// The attention backward pass alone, every variant on one thread, on the speed suite's problem: one sequence of
/// <see cref="SpeedShapes.AttentionLength"/>, <see cref="SpeedShapes.AttentionHeads"/> heads of
/// <see cref="SpeedShapes.AttentionHeadDim"/>, no mask. The setup runs one forward pass for the output and the
/// log-sum-exp the vector variants read (<see cref="AttentionBenchmarks"/> times forward + backward at B 8).
/// </summary>
[Config(typeof(KernelBenchmarkConfig))]
public unsafe class AttentionBackwardBenchmarks : IDisposable
{
    private AttentionOperands? _operands;

    [GlobalSetup]
    public void Setup()
    {
        _operands = new AttentionOperands(1, SpeedShapes.AttentionHeads, SpeedShapes.AttentionLength, SpeedShapes.AttentionHeadDim, causal: false);
        AttentionOperands o = _operands;
        AttentionKernel.Forward(o.Shape, o.Q, o.K, o.V, o.O, o.LogSumExp, [], 1);
    }

    [Benchmark(Baseline = true)]
    public void Scalar()
    {
        AttentionOperands o = _operands!;
        AttentionKernel.BackwardScalar(o.Shape, o.Q, o.K, o.V, o.DOut, [], o.DQ, o.DK, o.DV);
    }

    [Benchmark]
    public void Avx2()
    {
        AttentionOperands o = _operands!;
        AttentionKernel.BackwardAvx2(o.Shape, o.Q, o.K, o.V, o.O, o.DOut, o.LogSumExp, [], o.DQ, o.DK, o.DV, 1);
    }

    [Benchmark]
    public void Avx512()
    {
        AttentionOperands o = _operands!;
        AttentionKernel.BackwardAvx512(o.Shape, o.Q, o.K, o.V, o.O, o.DOut, o.LogSumExp, [], o.DQ, o.DK, o.DV, 1);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _operands?.Dispose();
        GC.SuppressFinalize(this);
    }
}
