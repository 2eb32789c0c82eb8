using BenchmarkDotNet.Attributes;
using EmbedEngine.Kernels;

namespace EmbedEngine.Perf.Kernels;

/// <summary>Two aligned vectors of <see cref="Dim"/> floats, shared by the single-vector kernel benchmarks.</summary>
public abstract unsafe class VectorBenchmarkBase : IDisposable
{
    private NativeMatrix? _vectors;

    /// <summary>Vector length: the speed suite's <see cref="SpeedShapes.VectorDims"/>.</summary>
    [ParamsSource(nameof(Dims))]
    public int Dim { get; set; }

    /// <summary>The values of <see cref="Dim"/>.</summary>
    public static IEnumerable<int> Dims => SpeedShapes.VectorDims;

    /// <summary>First vector.</summary>
    protected float* X { get; private set; }

    /// <summary>Second vector.</summary>
    protected float* Y { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        _vectors = BenchmarkData.Matrix(2, Dim);
        X = _vectors.RowPointer(0);
        Y = _vectors.RowPointer(1);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the vectors.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing) _vectors?.Dispose();
    }
}

/// <summary><see cref="DotKernel"/>: every variant against the scalar reference.</summary>
[Config(typeof(KernelBenchmarkConfig))]
public unsafe class DotBenchmarks : VectorBenchmarkBase
{
    [Benchmark(Baseline = true)]
    public float Scalar() => DotKernel.Scalar(new(X, Dim), new(Y, Dim));

    [Benchmark]
    public float Avx2() => DotKernel.Avx2(new(X, Dim), new(Y, Dim));

    [Benchmark]
    public float Avx512() => DotKernel.Avx512(new(X, Dim), new(Y, Dim));
}

/// <summary><see cref="AxpyKernel"/>: every variant against the scalar reference.</summary>
[Config(typeof(KernelBenchmarkConfig))]
public unsafe class AxpyBenchmarks : VectorBenchmarkBase
{
    /// <summary>Small enough that y stays far from overflow over billions of calls.</summary>
    private const float A = 1e-4f;

    [Benchmark(Baseline = true)]
    public void Scalar() => AxpyKernel.Scalar(A, new(X, Dim), new(Y, Dim));

    [Benchmark]
    public void Avx2() => AxpyKernel.Avx2(A, new(X, Dim), new(Y, Dim));

    [Benchmark]
    public void Avx512() => AxpyKernel.Avx512(A, new(X, Dim), new(Y, Dim));
}

/// <summary><see cref="ScaleKernel"/>: every variant against the scalar reference.</summary>
[Config(typeof(KernelBenchmarkConfig))]
public unsafe class ScaleBenchmarks : VectorBenchmarkBase
{
    /// <summary>−1 keeps magnitudes fixed over repeated calls: no overflow, and no denormals to slow any variant.</summary>
    private const float A = -1f;

    [Benchmark(Baseline = true)]
    public void Scalar() => ScaleKernel.Scalar(A, new(X, Dim));

    [Benchmark]
    public void Avx2() => ScaleKernel.Avx2(A, new(X, Dim));

    [Benchmark]
    public void Avx512() => ScaleKernel.Avx512(A, new(X, Dim));
}
