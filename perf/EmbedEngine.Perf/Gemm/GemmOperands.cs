using EmbedEngine.Kernels;

namespace EmbedEngine.Perf.Gemm;

/// <summary>Seeded A (m×k), B (k×n) and C (m×n) for a product, rows on cache lines.</summary>
internal sealed class GemmOperands : IDisposable
{
    public GemmOperands(int m, int n, int k, int salt)
    {
        A = BenchmarkData.Matrix(m, k, salt: salt);
        B = BenchmarkData.Matrix(k, n, salt: salt + 1);
        C = BenchmarkData.Matrix(m, n, salt: salt + 2);
    }

    public NativeMatrix A { get; }

    public NativeMatrix B { get; }

    public NativeMatrix C { get; }

    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
        C.Dispose();
    }
}
