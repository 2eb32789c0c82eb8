using System.Runtime.InteropServices;

namespace EmbedEngine.Perf.Gemm;

/// <summary>
/// The two OpenBLAS entry points the side-by-side benchmark needs, from Debian's libopenblas-dev
/// (<c>apt-get install -y libopenblas-dev</c>); only perf/ uses them, never the tests.
/// </summary>
internal static unsafe partial class OpenBlas
{
    private const string Library = "libopenblas.so.0";

    /// <summary>CBLAS layout: C-style rows.</summary>
    public const int RowMajor = 101;

    /// <summary>CBLAS op(X) = X.</summary>
    public const int NoTranspose = 111;

    /// <summary>C ← α·op(A)·op(B) + β·C (the reference BLAS interface).</summary>
    [LibraryImport(Library, EntryPoint = "cblas_sgemm")]
    public static partial void Sgemm(int layout, int transposeA, int transposeB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    /// <summary>Threads OpenBLAS uses from now on.</summary>
    [LibraryImport(Library, EntryPoint = "openblas_set_num_threads")]
    public static partial void SetThreads(int threads);
}
