using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace EmbedEngine.Kernels.Gemm;

/// <summary>
/// The checked shape of one product C ← α·op(A)·op(B) + β·C on row-major strided views: the sizes, the leading
/// dimensions and where row i of op(A) and column j of op(B) start. Every check throws an
/// <see cref="ArgumentException"/> that names the argument, so no call can read or write past what it was given.
/// </summary>
internal readonly unsafe struct GemmShape
{
    public GemmShape(bool transposeA, bool transposeB, int m, int n, int k, int lda, int ldb, int ldc)
    {
        if (m < 0 || n < 0 || k < 0) Fail($"Sizes must be non-negative: m {m}, n {n}, k {k}.");
        CheckLeading("lda", lda, transposeA ? m : k, transposeA);
        CheckLeading("ldb", ldb, transposeB ? k : n, transposeB);
        CheckLeading("ldc", ldc, n, transposed: false);
        (TransposeA, TransposeB, M, N, K) = (transposeA, transposeB, m, n, k);
        (Lda, Ldb, Ldc) = (lda, ldb, ldc);
    }

    /// <summary>Whether op(A) = Aᵀ and op(B) = Bᵀ.</summary>
    public readonly bool TransposeA, TransposeB;

    /// <summary>C is M×N; K is the inner dimension.</summary>
    public readonly int M, N, K;

    /// <summary>Floats between the starts of the stored rows of A, B and C.</summary>
    public readonly nint Lda, Ldb, Ldc;

    /// <summary>Floats from A's first element to one past its last (0 when A is empty).</summary>
    public long AExtent => Extent(TransposeA ? K : M, TransposeA ? M : K, Lda);

    /// <summary>Floats from B's first element to one past its last.</summary>
    public long BExtent => Extent(TransposeB ? N : K, TransposeB ? K : N, Ldb);

    /// <summary>Floats from C's first element to one past its last.</summary>
    public long CExtent => Extent(M, N, Ldc);

    /// <summary>Checks the sizes, the leading dimensions, the pointers and the thread count.</summary>
    public static GemmShape Checked(bool transposeA, bool transposeB, int m, int n, int k,
        float* a, int lda, float* b, int ldb, float* c, int ldc, int threads)
    {
        var shape = new GemmShape(transposeA, transposeB, m, n, k, lda, ldb, ldc);
        if (a == null && shape.AExtent > 0) Fail($"A is null but op(A) is {m}×{k}.");
        if (b == null && shape.BExtent > 0) Fail($"B is null but op(B) is {k}×{n}.");
        if (c == null && shape.CExtent > 0) Fail($"C is null but C is {m}×{n}.");
        if (threads < 0) Fail($"Threads must be 0 (every core) or more, not {threads}.");
        return shape;
    }

    /// <summary>Checks that spans of these lengths hold every element the views reach.</summary>
    public void CheckLengths(int a, int b, int c)
    {
        if (a < AExtent) Fail($"A holds {a} floats; its view reaches {AExtent}.");
        if (b < BExtent) Fail($"B holds {b} floats; its view reaches {BExtent}.");
        if (c < CExtent) Fail($"C holds {c} floats; its view reaches {CExtent}.");
    }

    /// <summary>
    /// Checks a batch: strides are non-negative (0 shares one matrix), and the items of C do not overlap, since
    /// they are written in parallel.
    /// </summary>
    public void CheckBatch(long strideA, long strideB, long strideC, int batchCount)
    {
        if (batchCount < 0) Fail($"The batch count must be non-negative, not {batchCount}.");
        if (strideA < 0 || strideB < 0 || strideC < 0)
            Fail($"Batch strides must be non-negative: A {strideA}, B {strideB}, C {strideC}.");
        if (batchCount > 1 && strideC < CExtent)
            Fail($"C's batch stride {strideC} is less than one item's extent {CExtent}, so items would overlap.");
    }

    /// <summary>Offset of row <paramref name="i"/> of op(A) from A's first element.</summary>
    public nint RowOfA(int i) => TransposeA ? i : i * Lda;

    /// <summary>Offset of column <paramref name="j"/> of op(B) from B's first element.</summary>
    public nint ColumnOfB(int j) => TransposeB ? j * Ldb : j;

    /// <summary>The same product restricted to <paramref name="m"/> rows and <paramref name="n"/> columns of C.</summary>
    public GemmShape Part(int m, int n) =>
        new(TransposeA, TransposeB, m, n, K, (int)Lda, (int)Ldb, (int)Ldc);

    /// <summary>The same product over <paramref name="k"/> of the depth, writing a C whose rows are <paramref name="ldc"/> apart.</summary>
    public GemmShape Depth(int k, int ldc) =>
        new(TransposeA, TransposeB, M, N, k, (int)Lda, (int)Ldb, ldc);

    private static long Extent(int rows, int width, nint leading) =>
        rows == 0 || width == 0 ? 0 : (rows - 1L) * leading + width;

    private static void CheckLeading(string name, int leading, int width, bool transposed)
    {
        if (leading < Math.Max(width, 1))
            Fail($"{name} {leading} is less than the row width {width} of the stored matrix{(transposed ? " (transposed)" : "")}.");
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Fail(string message) => throw new ArgumentException(message);
}
