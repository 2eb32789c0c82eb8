using EmbedEngine.Kernels.Simd;
using System.Runtime.Intrinsics;

namespace EmbedEngine.Kernels.Gemm;

/// <summary>
/// Single-precision GEMM on row-major matrices: C ← α·op(A)·op(B) + β·C, where op(X) is X or Xᵀ. op(A) is m×k,
/// op(B) k×n and C m×n; each matrix is a strided view whose rows are lda, ldb and ldc floats apart. β = 0 ignores C's
/// old contents (NaN there does not leak into the result), as in BLAS; so does the blocked product with α = 0 or
/// k = 0 for A and B, which it does not read then (the scalar reference still multiplies them).
/// </summary>
public static unsafe class SgemmKernel
{
    /// <summary>C ← α·op(A)·op(B) + β·C with the variant chosen at start-up.</summary>
    /// <param name="transposeA">Use Aᵀ: A is stored k×m.</param>
    /// <param name="transposeB">Use Bᵀ: B is stored n×k.</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="k">The inner dimension.</param>
    /// <param name="alpha">Scales the product.</param>
    /// <param name="a">A's first element.</param>
    /// <param name="lda">Floats between the starts of A's stored rows.</param>
    /// <param name="b">B's first element.</param>
    /// <param name="ldb">Floats between the starts of B's stored rows.</param>
    /// <param name="beta">Scales C's old contents; 0 ignores them.</param>
    /// <param name="c">C's first element.</param>
    /// <param name="ldc">Floats between the starts of C's rows.</param>
    /// <param name="threads">Threads to use at most, capped at the core count; 0 uses every core. Small products run on one.</param>
    /// <param name="epilogue">A bias per column and a ReLU applied as C is written (<see cref="GemmEpilogue"/>); default: none.</param>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k, float alpha, float* a, int lda,
        float* b, int ldb, float beta, float* c, int ldc, int threads = 0, GemmEpilogue epilogue = default)
    {
        switch (IsaDispatch.Active)
        {
            case Isa.Avx512: Avx512(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, threads, epilogue); break;
            case Isa.Avx2: Avx2(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, threads, epilogue); break;
            default: Scalar(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, threads, epilogue); break;
        }
    }

    /// <summary>As the pointer overload; the spans must hold every element the strided views reach.</summary>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc, int threads = 0)
    {
        new GemmShape(transposeA, transposeB, m, n, k, lda, ldb, ldc).CheckLengths(a.Length, b.Length, c.Length);
        fixed (float* pa = a, pb = b, pc = c)
            Multiply(transposeA, transposeB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, threads);
    }

    /// <summary>
    /// <paramref name="batchCount"/> independent products, the i-th on A + i·strideA, B + i·strideB and C + i·strideC
    /// (a stride of 0 shares one A or B across the batch), with the variant chosen at start-up.
    /// </summary>
    public static void MultiplyBatched(bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        float* a, int lda, long strideA, float* b, int ldb, long strideB, float beta, float* c, int ldc, long strideC,
        int batchCount, int threads = 0)
    {
        switch (IsaDispatch.Active)
        {
            case Isa.Avx512:
                BatchedAvx512(transposeA, transposeB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC, batchCount, threads);
                break;
            case Isa.Avx2:
                BatchedAvx2(transposeA, transposeB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC, batchCount, threads);
                break;
            default:
                BatchedScalar(transposeA, transposeB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC, batchCount, threads);
                break;
        }
    }

    /// <summary>Reference of the batched product: <see cref="Scalar"/> on each item in turn.</summary>
    public static void BatchedScalar(bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        float* a, int lda, long strideA, float* b, int ldb, long strideB, float beta, float* c, int ldc, long strideC,
        int batchCount, int threads = 0)
    {
        GemmShape.Checked(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, threads)
            .CheckBatch(strideA, strideB, strideC, batchCount);
        for (int i = 0; i < batchCount; i++)
            Scalar(transposeA, transposeB, m, n, k, alpha, a + i * strideA, lda, b + i * strideB, ldb, beta,
                c + i * strideC, ldc, threads);
    }

    /// <summary>Vector256 batched product; small items run one per thread.</summary>
    public static void BatchedAvx2(bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        float* a, int lda, long strideA, float* b, int ldb, long strideB, float beta, float* c, int ldc, long strideC,
        int batchCount, int threads = 0) =>
        BlockedBatch<Simd256, Vector256<float>>(transposeA, transposeB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB,
            beta, c, ldc, strideC, batchCount, threads);

    /// <summary>Vector512 batched product; small items run one per thread.</summary>
    public static void BatchedAvx512(bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        float* a, int lda, long strideA, float* b, int ldb, long strideB, float beta, float* c, int ldc, long strideC,
        int batchCount, int threads = 0) =>
        BlockedBatch<Simd512, Vector512<float>>(transposeA, transposeB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB,
            beta, c, ldc, strideC, batchCount, threads);

    /// <summary>
    /// Packs op(B) (<paramref name="k"/> × <paramref name="n"/>; B itself is n × k when transposed) for
    /// <see cref="MultiplyPacked"/> with <paramref name="isa"/>'s layout (the active variant's when null).
    /// </summary>
    public static PackedB PackB(bool transposeB, int k, int n, float* b, int ldb, Isa? isa = null) => PackB(transposeB, k, n, b, ldb, reuse: null, isa);

    /// <summary>
    /// <see cref="PackB(bool, int, int, float*, int, Isa?)"/> into <paramref name="reuse"/> when it was made for the
    /// same variant and sizes (a matrix repacked after every change, such as recurrent weights while training),
    /// otherwise into a new one; returns the one written.
    /// </summary>
    public static PackedB PackB(bool transposeB, int k, int n, float* b, int ldb, PackedB? reuse, Isa? isa = null)
    {
        Isa variant = isa ?? IsaDispatch.Active;
        var shape = new GemmShape(false, transposeB, 1, n, k, Math.Max(k, 1), ldb, Math.Max(n, 1));
        if (b == null && shape.BExtent > 0) throw new ArgumentException($"B is null but op(B) is {k}×{n}.", nameof(b));
        Isa layout = variant is Isa.Avx512 or Isa.Avx2 ? variant : Isa.Scalar;
        PackedB packed = reuse != null && reuse.Isa == layout && reuse.K == k && reuse.N == n ? reuse : new PackedB(layout, k, n, layout switch
        {
            Isa.Avx512 => GemmTile<Simd512, Vector512<float>>.Columns,
            Isa.Avx2 => GemmTile<Simd256, Vector256<float>>.Columns,
            _ => 1,
        });
        switch (layout)
        {
            case Isa.Avx512:
                GemmDriver<Simd512, Vector512<float>>.Pack(shape, b, packed);
                break;
            case Isa.Avx2:
                GemmDriver<Simd256, Vector256<float>>.Pack(shape, b, packed);
                break;
            default:
                for (int p = 0; p < k; p++)
                    for (int j = 0; j < n; j++)
                        packed.Data[(nint)p * n + j] = transposeB ? b[(nint)j * ldb + p] : b[(nint)p * ldb + j];
                break;
        }
        return packed;
    }

    /// <summary>
    /// C ← alpha·op(A)·B + beta·C, then the epilogue, with B packed by <see cref="PackB(bool, int, int, float*, int, Isa?)"/> (m × K times K × N), with
    /// the variant B was packed for; the result equals that variant's
    /// <see cref="Multiply(bool, bool, int, int, int, float, float*, int, float*, int, float, float*, int, int, GemmEpilogue)"/>.
    /// </summary>
    public static void MultiplyPacked(bool transposeA, int m, float alpha, float* a, int lda, PackedB b, float beta, float* c, int ldc,
        int threads = 0, GemmEpilogue epilogue = default)
    {
        ArgumentNullException.ThrowIfNull(b);
        var shape = new GemmShape(transposeA, false, m, b.N, b.K, lda, Math.Max(b.N, 1), ldc);
        if (a == null && shape.AExtent > 0) throw new ArgumentException($"A is null but op(A) is {m}×{b.K}.", nameof(a));
        if (c == null && shape.CExtent > 0) throw new ArgumentException($"C is null but C is {m}×{b.N}.", nameof(c));
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        switch (b.Isa)
        {
            case Isa.Avx512: GemmDriver<Simd512, Vector512<float>>.MultiplyPacked(shape, alpha, a, b, beta, c, threads, epilogue); break;
            case Isa.Avx2: GemmDriver<Simd256, Vector256<float>>.MultiplyPacked(shape, alpha, a, b, beta, c, threads, epilogue); break;
            default: Scalar(transposeA, false, m, b.N, b.K, alpha, a, lda, b.Data, Math.Max(b.N, 1), beta, c, ldc, 0, epilogue); break;
        }
    }

    /// <summary>Reference: the plain triple loop, one dot product per element of C, then the epilogue on that element.</summary>
    public static void Scalar(bool transposeA, bool transposeB, int m, int n, int k, float alpha, float* a, int lda,
        float* b, int ldb, float beta, float* c, int ldc, int threads = 0, GemmEpilogue epilogue = default)
    {
        var shape = GemmShape.Checked(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, threads);
        for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
        {
            float sum = 0f;
            for (int p = 0; p < k; p++)
            {
                float aip = transposeA ? a[(nint)p * lda + i] : a[(nint)i * lda + p];
                float bpj = transposeB ? b[(nint)j * ldb + p] : b[(nint)p * ldb + j];
                sum += aip * bpj;
            }
            float* cij = c + (nint)i * ldc + j;
            *cij = epilogue.Finish(beta == 0f ? alpha * sum : alpha * sum + beta * *cij, j);
        }
    }

    /// <summary>Vector256: packed panels, cache blocks and a 6×16 register tile.</summary>
    public static void Avx2(bool transposeA, bool transposeB, int m, int n, int k, float alpha, float* a, int lda,
        float* b, int ldb, float beta, float* c, int ldc, int threads = 0, GemmEpilogue epilogue = default) =>
        Blocked<Simd256, Vector256<float>>(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, threads, epilogue);

    /// <summary>Vector512: packed panels, cache blocks and a 6×64 register tile.</summary>
    public static void Avx512(bool transposeA, bool transposeB, int m, int n, int k, float alpha, float* a, int lda,
        float* b, int ldb, float beta, float* c, int ldc, int threads = 0, GemmEpilogue epilogue = default) =>
        Blocked<Simd512, Vector512<float>>(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, threads, epilogue);

    private static void Blocked<TSimd, TVec>(bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, int threads, GemmEpilogue epilogue)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        var shape = GemmShape.Checked(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, threads);
        GemmDriver<TSimd, TVec>.Multiply(shape, alpha, a, b, beta, c, threads, epilogue);
    }

    private static void BlockedBatch<TSimd, TVec>(bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        float* a, int lda, long strideA, float* b, int ldb, long strideB, float beta, float* c, int ldc, long strideC,
        int batchCount, int threads)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        var shape = GemmShape.Checked(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, threads);
        shape.CheckBatch(strideA, strideB, strideC, batchCount);
        GemmDriver<TSimd, TVec>.Batched(shape, alpha, a, strideA, b, strideB, beta, c, strideC, batchCount, threads);
    }
}
