using BenchmarkDotNet.Attributes;
using EmbedEngine.Kernels.Gemm;

namespace EmbedEngine.Perf.Gemm;

/// <summary>
/// <see cref="SgemmKernel"/> against OpenBLAS's cblas_sgemm on the same inputs in one run, 1 and 2 threads:
/// C ← A·B (β = 0) on square sizes and a skinny 4096×256·256×256 (a batch of activations times a weight).
/// Run with <c>dotnet run -c Release --project perf/EmbedEngine.Perf -- --filter '*Gemm.*'</c> (with the peak FMA
/// rate) or <c>'*Sgemm*'</c>; needs libopenblas-dev.
/// </summary>
[Config(typeof(GemmBenchmarkConfig))]
public unsafe class SgemmBenchmarks : IDisposable
{
    private GemmOperands? _operands;

    /// <summary>m×n×k, or one number for a square product.</summary>
    [Params("256", "512", "1024", "2048", "4096x256x256")]
    public string Shape { get; set; } = "256";

    /// <summary>Threads for both libraries.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    private int M => GemmBenchmarkConfig.Size(Shape).M;

    private int N => GemmBenchmarkConfig.Size(Shape).N;

    private int K => GemmBenchmarkConfig.Size(Shape).K;

    [GlobalSetup]
    public void Setup()
    {
        _operands = new GemmOperands(M, N, K, salt: 21);
        OpenBlas.SetThreads(Threads);
    }

    [Benchmark(Baseline = true)]
    public void OpenBlasSgemm() => OpenBlas.Sgemm(OpenBlas.RowMajor, OpenBlas.NoTranspose, OpenBlas.NoTranspose, M, N, K,
        1f, _operands!.A.Data, _operands.A.Stride, _operands.B.Data, _operands.B.Stride, 0f, _operands.C.Data, _operands.C.Stride);

    [Benchmark]
    public void EmbedEngineSgemm() => SgemmKernel.Multiply(false, false, M, N, K, 1f, _operands!.A.Data, _operands.A.Stride,
        _operands.B.Data, _operands.B.Stride, 0f, _operands.C.Data, _operands.C.Stride, Threads);

    [GlobalCleanup]
    public void Dispose()
    {
        _operands?.Dispose();
        GC.SuppressFinalize(this);
    }
}
