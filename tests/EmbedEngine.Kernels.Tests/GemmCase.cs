using EmbedEngine.Kernels;
using EmbedEngine.Kernels.Gemm;
using EmbedEngine.Kernels.Gpu.Dense;

namespace EmbedEngine.Kernels.Tests;

/// <summary>
/// One GEMM problem for the harness: sizes, transposes, α and β, threads, and a batch (1: a plain product, through
/// <see cref="SgemmKernel.Multiply(bool, bool, int, int, int, float, float*, int, float*, int, float, float*, int, int, GemmEpilogue)"/>,
/// with a bias per column and a ReLU when <paramref name="Bias"/> and <paramref name="Relu"/> ask).
/// β = 0 fills C with NaN, which must not reach the result. A shared A (stride 0) is used when <paramref name="ShareA"/>.
/// A plain product also carries <see cref="GemmGpu.Tiled"/> as its GPU variant.
/// </summary>
public sealed record GemmCase(int M, int N, int K, bool TransposeA, bool TransposeB, float Alpha, float Beta,
    int Threads = 1, int Batch = 1, bool ShareA = false, bool Bias = false, bool Relu = false)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{(Batch == 1 ? "" : $"{Batch}× ")}{M}×{N}×{K} {(TransposeA ? "Aᵀ" : "A")}·{(TransposeB ? "Bᵀ" : "B")} α {Alpha} β {Beta}, {Threads} threads" +
        $"{(ShareA ? ", shared A" : "")}{(Bias ? ", + bias" : "")}{(Relu ? ", ReLU" : "")}";

    /// <summary>
    /// Draws the inputs with leading dimensions a little past the row widths (padding between rows must stay as it
    /// is) and derives each element's tolerance from the k-term dot product's bound plus the β·C term.
    /// </summary>
    public unsafe Problem Build(Random rng)
    {
        int aRows = TransposeA ? K : M, aWidth = TransposeA ? M : K, bRows = TransposeB ? N : K, bWidth = TransposeB ? K : N;
        // BLAS asks a leading dimension of at least 1 even for an empty row.
        int lda = Math.Max(aWidth, 1) + rng.Next(0, 4), ldb = Math.Max(bWidth, 1) + rng.Next(0, 4), ldc = Math.Max(N, 1) + rng.Next(0, 4);
        int aItem = Math.Max(aRows * lda, 1), bItem = bRows * ldb, cItem = M * ldc;
        long strideA = ShareA ? 0 : aItem, strideB = bItem, strideC = cItem;
        float[] a = Matrix((ShareA ? 1 : Batch) * aRows, aWidth, lda, () => Uniform(rng));
        float[] b = Matrix(Batch * bRows, bWidth, ldb, () => Uniform(rng));
        float[] c = Matrix(Batch * M, N, ldc, () => Beta == 0f ? float.NaN : Uniform(rng));
        float[] bias = Matrix(1, N, N, () => Bias ? Uniform(rng) : 0f);
        var tolerance = new float[c.Length];
        for (int item = 0; item < Batch; item++)
        for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++)
        {
            double abs = 0;
            for (int p = 0; p < K; p++)
            {
                float aip = a[item * strideA + (TransposeA ? p * lda + i : i * lda + p)];
                float bpj = b[item * strideB + (TransposeB ? j * ldb + p : p * ldb + j)];
                abs += Math.Abs((double)aip * bpj);
            }
            long at = item * strideC + i * ldc + j;
            double cTerm = Beta == 0f ? 0 : Math.Abs((double)Beta * c[at]);
            // The ReLU cannot widen a difference; the bias adds one more term to the sum.
            tolerance[at] = (float)Bounds.Sum(K + 3, Math.Abs(Alpha) * abs + cTerm + Math.Abs(bias[j]));
        }

        var problem = new Problem();
        int ha = problem.Add("A", a), hb = problem.Add("B", b), hc = problem.Add("C", c, tolerance), hBias = problem.Add("bias", bias);
        problem.Run = (isa, m) =>
        {
            if (Batch == 1)
                KernelCases.Pick<SgemmFn>(isa, SgemmKernel.Multiply, SgemmKernel.Scalar, SgemmKernel.Avx2, SgemmKernel.Avx512)(
                    TransposeA, TransposeB, M, N, K, Alpha, m.Pointer(ha), lda, m.Pointer(hb), ldb, Beta, m.Pointer(hc), ldc, Threads,
                    new GemmEpilogue(Bias ? m.Pointer(hBias) : null, Relu));
            else
                KernelCases.Pick<BatchedSgemmFn>(isa, SgemmKernel.MultiplyBatched, SgemmKernel.BatchedScalar,
                    SgemmKernel.BatchedAvx2, SgemmKernel.BatchedAvx512)(TransposeA, TransposeB, M, N, K, Alpha,
                    m.Pointer(ha), lda, strideA, m.Pointer(hb), ldb, strideB, Beta, m.Pointer(hc), ldc, strideC, Batch, Threads);
            return 0f;
        };
        // The GPU twin multiplies one product without an epilogue.
        if (Batch == 1 && !Bias && !Relu)
            problem.Gpu = d =>
            {
                GemmGpu.Tiled(d.Device, TransposeA, TransposeB, M, N, K, Alpha, d.View(ha), lda, d.View(hb), ldb, Beta, d.View(hc), ldc);
                return 0f;
            };
        return problem;
    }

    private static float Uniform(Random rng) => (float)(rng.NextDouble() * 2 - 1);

    /// <summary>Rows of <paramref name="width"/> drawn values, <paramref name="stride"/> apart, padding between them.</summary>
    private static float[] Matrix(int rows, int width, int stride, Func<float> value)
    {
        var m = new float[Math.Max(rows * stride, 1)];
        for (int r = 0; r < rows; r++)
        for (int c = 0; c < stride; c++)
            m[r * stride + c] = c < width ? value() : Harness.Padding;
        return m;
    }
}
