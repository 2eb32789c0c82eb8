using BenchmarkDotNet.Attributes;
using EmbedEngine.Kernels;
using EmbedEngine.Kernels.Gemm;
using EmbedEngine.Perf.Kernels;

namespace EmbedEngine.Perf.Gemm;

/// <summary>
/// <see cref="SgemmKernel"/>'s variants side by side on one thread, at a size the scalar triple loop finishes in
/// tens of milliseconds.
/// </summary>
[Config(typeof(GemmBenchmarkConfig))]
public unsafe class SgemmVariantBenchmarks : IDisposable
{
    private NativeMatrix? _a, _b, _c;

    /// <summary>Square size.</summary>
    [Params("256")]
    public string Shape { get; set; } = "256";

    private int Size => GemmBenchmarkConfig.Size(Shape).M;

    [GlobalSetup]
    public void Setup()
    {
        _a = BenchmarkData.Matrix(Size, Size, salt: 24);
        _b = BenchmarkData.Matrix(Size, Size, salt: 25);
        _c = BenchmarkData.Matrix(Size, Size, salt: 26);
    }

    [Benchmark(Baseline = true)]
    public void Scalar() => SgemmKernel.Scalar(false, false, Size, Size, Size, 1f, _a!.Data, _a.Stride, _b!.Data, _b.Stride,
        0f, _c!.Data, _c.Stride, 1);

    [Benchmark]
    public void Avx2() => SgemmKernel.Avx2(false, false, Size, Size, Size, 1f, _a!.Data, _a.Stride, _b!.Data, _b.Stride,
        0f, _c!.Data, _c.Stride, 1);

    [Benchmark]
    public void Avx512() => SgemmKernel.Avx512(false, false, Size, Size, Size, 1f, _a!.Data, _a.Stride, _b!.Data, _b.Stride,
        0f, _c!.Data, _c.Stride, 1);

    [GlobalCleanup]
    public void Dispose()
    {
        _a?.Dispose();
        _b?.Dispose();
        _c?.Dispose();
        GC.SuppressFinalize(this);
    }
}
