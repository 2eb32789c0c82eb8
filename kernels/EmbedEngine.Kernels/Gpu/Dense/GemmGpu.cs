using EmbedEngine.Kernels.Gemm;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Gpu.Dense;

/// <summary>
/// <see cref="SgemmKernel"/>'s twin: C ← α·op(A)·op(B) + β·C on row-major strided views in device memory, with the
/// same shapes, leading dimensions and checks (β = 0 ignores C's old contents). On a CUDA device the product goes to
/// cuBLAS (<see cref="CuBlasGemm"/>); elsewhere, and where cuBLAS cannot run, to the tiled kernel
/// (<see cref="Tiled"/>), which is also the variant the harness checks against the scalar reference.
/// </summary>
public static class GemmGpu
{
    /// <summary>The largest tile edge: a 16×16 group of threads per 16×16 block of C.</summary>
    private const int MaxTile = 16;

    private static readonly KernelCache<Action<KernelConfig, GemmArguments, ArrayView<float>, ArrayView<float>, ArrayView<float>>> Launcher =
        new(a => a.LoadStreamKernel<GemmArguments, ArrayView<float>, ArrayView<float>, ArrayView<float>>(TiledKernel));

    /// <summary>C ← α·op(A)·op(B) + β·C on <paramref name="device"/>, through cuBLAS on a CUDA device; returns once queued.</summary>
    /// <param name="device">Where the views live.</param>
    /// <param name="transposeA">Use Aᵀ: A is stored k×m.</param>
    /// <param name="transposeB">Use Bᵀ: B is stored n×k.</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="k">The inner dimension.</param>
    /// <param name="alpha">Scales the product.</param>
    /// <param name="a">A, from its first element.</param>
    /// <param name="lda">Floats between the starts of A's stored rows.</param>
    /// <param name="b">B, from its first element.</param>
    /// <param name="ldb">Floats between the starts of B's stored rows.</param>
    /// <param name="beta">Scales C's old contents; 0 ignores them.</param>
    /// <param name="c">C, from its first element.</param>
    /// <param name="ldc">Floats between the starts of C's rows.</param>
    public static void Multiply(GpuDevice device, bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        ArrayView<float> a, int lda, ArrayView<float> b, int ldb, float beta, ArrayView<float> c, int ldc)
    {
        Check(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc);
        if (m == 0 || n == 0) return;
        // A product with no terms only scales C, which the tiled kernel does without handing cuBLAS empty views.
        if (k > 0 && alpha != 0f && CuBlasGemm.TryMultiply(device, transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc))
            return;
        Launch(device, GemmArguments.Of(transposeA, transposeB, m, n, k, alpha, lda, ldb, beta, ldc), a, b, c);
    }

    /// <summary>The ILGPU tiled kernel on any device (the fallback of <see cref="Multiply"/>); same contract.</summary>
    public static void Tiled(GpuDevice device, bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        ArrayView<float> a, int lda, ArrayView<float> b, int ldb, float beta, ArrayView<float> c, int ldc)
    {
        Check(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc);
        if (m == 0 || n == 0) return;
        Launch(device, GemmArguments.Of(transposeA, transposeB, m, n, k, alpha, lda, ldb, beta, ldc), a, b, c);
    }

    private static void Check(bool transposeA, bool transposeB, int m, int n, int k, ArrayView<float> a, int lda,
        ArrayView<float> b, int ldb, ArrayView<float> c, int ldc) =>
        new GemmShape(transposeA, transposeB, m, n, k, lda, ldb, ldc).CheckLengths(
            DeviceViews.Length(a, "A"), DeviceViews.Length(b, "B"), DeviceViews.Length(c, "C"));

    /// <summary>Square tiles as wide as the device's group allows (4×4 on ILGPU's CPU accelerator), one group per tile of C.</summary>
    private static void Launch(GpuDevice device, GemmArguments arguments, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c)
    {
        int tile = MaxTile;
        while (tile * tile > device.Accelerator.MaxNumThreadsPerGroup) tile /= 2;
        var grid = new Index2D((arguments.N + tile - 1) / tile, (arguments.M + tile - 1) / tile);
        Launcher.On(device)(new KernelConfig(grid, new Index2D(tile, tile)), arguments, a, b, c);
    }

    /// <summary>
    /// Thread (x, y) of the group for tile (X, Y) computes C[Y·t + y, X·t + x]: per step of t along the depth the
    /// group stages a t×t block of op(A) and of op(B) in shared memory (zeros past the edges), then every thread
    /// takes its row of one and column of the other from there.
    /// </summary>
    private static void TiledKernel(GemmArguments g, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c)
    {
        var aTile = SharedMemory.Allocate<float>(MaxTile * MaxTile);
        var bTile = SharedMemory.Allocate<float>(MaxTile * MaxTile);
        int tile = Group.DimX, x = Group.IdxX, y = Group.IdxY;
        int i = Grid.IdxY * tile + y, j = Grid.IdxX * tile + x;
        float sum = 0f;
        if (g.Alpha != 0f)
            for (int depth = 0; depth < g.K; depth += tile)
            {
                int pa = depth + x, pb = depth + y;
                aTile[y * MaxTile + x] = i < g.M && pa < g.K ? a[g.TransposeA != 0 ? (long)pa * g.Lda + i : (long)i * g.Lda + pa] : 0f;
                bTile[y * MaxTile + x] = pb < g.K && j < g.N ? b[g.TransposeB != 0 ? (long)j * g.Ldb + pb : (long)pb * g.Ldb + j] : 0f;
                Group.Barrier();
                for (int p = 0; p < tile; p++) sum += aTile[y * MaxTile + p] * bTile[p * MaxTile + x];
                Group.Barrier();
            }
        if (i >= g.M || j >= g.N) return;
        long at = (long)i * g.Ldc + j;
        c[at] = g.Beta == 0f ? g.Alpha * sum : g.Alpha * sum + g.Beta * c[at];
    }

    /// <summary>
    /// The scalars of one product, passed to the kernel as one value: internal, since ILGPU's generated launcher must
    /// see it, and with the transposes as 0 or 1, since kernel arguments must be blittable and bool is not.
    /// </summary>
    internal readonly record struct GemmArguments(int TransposeA, int TransposeB, int M, int N, int K, float Alpha, int Lda, int Ldb,
        float Beta, int Ldc)
    {
        public static GemmArguments Of(bool transposeA, bool transposeB, int m, int n, int k, float alpha, int lda, int ldb, float beta, int ldc) =>
            new(transposeA ? 1 : 0, transposeB ? 1 : 0, m, n, k, alpha, lda, ldb, beta, ldc);
    }
}
