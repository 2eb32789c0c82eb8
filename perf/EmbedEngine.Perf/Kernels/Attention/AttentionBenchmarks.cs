using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Running;
using EmbedEngine.Kernels.Dense.Attention;

namespace EmbedEngine.Perf.Kernels.Attention;

/// <summary>
/// The fused attention kernel's variants against the materialized scalar reference, forward and forward + backward,
/// at B 8, H 8, d 64. The scalar reference runs only at T 256 on one thread (it ignores threads, and at T 1024 one
/// call takes seconds), so the ratios at T 1024 and on 2 threads are read against the vector variants.
/// </summary>
[Config(typeof(AttentionBenchmarkConfig))]
public unsafe class AttentionBenchmarks : IDisposable
{
    private const int Batch = 8, Heads = 8, HeadDim = 64;

    private AttentionOperands? _operands;

    /// <summary>Sequence length (queries = keys).</summary>
    [Params(256, 1024)]
    public int T { get; set; }

    /// <summary>Causal mask or none.</summary>
    [Params(false, true)]
    public bool Causal { get; set; }

    /// <summary>Threads the vector variants split the (sequence, head) pairs over.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup() => _operands = new AttentionOperands(Batch, Heads, T, HeadDim, Causal);

    [Benchmark(Baseline = true)]
    public void ForwardScalar()
    {
        AttentionOperands o = _operands!;
        AttentionKernel.ForwardScalar(o.Shape, o.Q, o.K, o.V, o.O, o.LogSumExp, []);
    }

    [Benchmark]
    public void ForwardAvx2()
    {
        AttentionOperands o = _operands!;
        AttentionKernel.ForwardAvx2(o.Shape, o.Q, o.K, o.V, o.O, o.LogSumExp, [], Threads);
    }

    [Benchmark]
    public void ForwardAvx512()
    {
        AttentionOperands o = _operands!;
        AttentionKernel.ForwardAvx512(o.Shape, o.Q, o.K, o.V, o.O, o.LogSumExp, [], Threads);
    }

    [Benchmark]
    public void ForwardBackwardScalar()
    {
        AttentionOperands o = _operands!;
        AttentionKernel.ForwardScalar(o.Shape, o.Q, o.K, o.V, o.O, o.LogSumExp, []);
        AttentionKernel.BackwardScalar(o.Shape, o.Q, o.K, o.V, o.DOut, [], o.DQ, o.DK, o.DV);
    }

    [Benchmark]
    public void ForwardBackwardAvx2()
    {
        AttentionOperands o = _operands!;
        AttentionKernel.ForwardAvx2(o.Shape, o.Q, o.K, o.V, o.O, o.LogSumExp, [], Threads);
        AttentionKernel.BackwardAvx2(o.Shape, o.Q, o.K, o.V, o.O, o.DOut, o.LogSumExp, [], o.DQ, o.DK, o.DV, Threads);
    }

    [Benchmark]
    public void ForwardBackwardAvx512()
    {
        AttentionOperands o = _operands!;
        AttentionKernel.ForwardAvx512(o.Shape, o.Q, o.K, o.V, o.O, o.LogSumExp, [], Threads);
        AttentionKernel.BackwardAvx512(o.Shape, o.Q, o.K, o.V, o.O, o.DOut, o.LogSumExp, [], o.DQ, o.DK, o.DV, Threads);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _operands?.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The kernel suite's short job, without the scalar reference where it would take seconds a call.</summary>
public sealed class AttentionBenchmarkConfig : ManualConfig
{
    /// <summary>Creates the config.</summary>
    public AttentionBenchmarkConfig()
    {
        Add(new KernelBenchmarkConfig());
        AddFilter(new ScalarOnShortSequences());
    }

    /// <summary>Keeps a scalar benchmark only at T 256 on one thread.</summary>
    private sealed class ScalarOnShortSequences : IFilter
    {
        public bool Predicate(BenchmarkCase benchmarkCase)
        {
            if (!benchmarkCase.Descriptor.WorkloadMethod.Name.EndsWith("Scalar", StringComparison.Ordinal)) return true;
            return benchmarkCase.Parameters["T"] is 256 && benchmarkCase.Parameters["Threads"] is 1;
        }
    }
}
