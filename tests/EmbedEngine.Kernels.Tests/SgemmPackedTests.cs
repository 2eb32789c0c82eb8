using EmbedEngine.Kernels;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Gemm;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Tests;

/// <summary>
/// <see cref="SgemmKernel.MultiplyPacked"/>: with B packed once, every variant gives exactly what its own
/// <see cref="SgemmKernel.Multiply(bool, bool, int, int, int, float, float*, int, float*, int, float, float*, int, int, GemmEpilogue)"/>
/// gives, across depth and column blocks, both ways of splitting C over threads, both storages of A and B, β = 0 over
/// NaN, and the bias and ReLU epilogue.
/// </summary>
public class SgemmPackedTests
{
    private const int Depth = GemmDriver<Simd512, Vector512<float>>.DepthBlock;
    private const int ColumnBlock = GemmDriver<Simd512, Vector512<float>>.ColumnBlock;

    public static TheoryData<Isa> Variants()
    {
        var data = new TheoryData<Isa>();
        foreach (Isa isa in IsaDispatch.Supported) data.Add(isa);
        return data;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public unsafe void A_packed_B_gives_the_variants_own_product_bit_for_bit(Isa isa)
    {
        var rng = new Random(17);
        (int M, int N, int K, int Threads)[] shapes =
        [
            (1, 1, 1, 1), (7, 65, 9, 1), (64, 512, 784, 1), (64, 512, 784, 2), (300, 90, Depth + 37, 2),
            (13, 2 * ColumnBlock + 70, 2 * Depth + 5, 2), (5, 17, 0, 1), (0, 9, 4, 1),
        ];
        foreach (var (m, n, k, threads) in shapes)
        foreach (bool transposeA in new[] { false, true })
        foreach (bool transposeB in new[] { false, true })
        {
            float beta = rng.Next(2) == 0 ? 0f : 0.5f;
            bool relu = rng.Next(2) == 0;
            float[] bias = Random(rng, n);
            int lda = (transposeA ? m : k) + 3, ldb = (transposeB ? k : n) + 2, ldc = n + 1;
            float[] a = Random(rng, (transposeA ? k : m) * lda), b = Random(rng, (transposeB ? n : k) * ldb);
            float[] expected = Start(rng, m * ldc, beta), actual = (float[])expected.Clone();
            fixed (float* pa = a, pb = b, pe = expected, pc = actual, pBias = bias)
            {
                var epilogue = new GemmEpilogue(rng.Next(2) == 0 ? pBias : null, relu);
                Run(isa, transposeA, transposeB, m, n, k, pa, lda, pb, ldb, beta, pe, ldc, threads, epilogue);
                using PackedB packed = SgemmKernel.PackB(transposeB, k, n, pb, ldb, isa);
                SgemmKernel.MultiplyPacked(transposeA, m, 1.5f, pa, lda, packed, beta, pc, ldc, threads, epilogue);
            }
            Assert.True(expected.AsSpan().SequenceEqual(actual),
                $"{isa} {m}×{n}×{k} {(transposeA ? "Aᵀ" : "A")}·{(transposeB ? "Bᵀ" : "B")} β {beta}, {threads} threads: the packed product differs.");
            if (beta == 0f)
                for (int i = 0; i < m; i++) Assert.DoesNotContain(actual.AsSpan(i * ldc, n).ToArray(), float.IsNaN);
        }
    }

    [Fact]
    public unsafe void A_packed_B_keeps_its_variant_and_sizes_and_refuses_a_null_A()
    {
        float[] b = [1, 2, 3, 4, 5, 6];
        fixed (float* pb = b)
        {
            using PackedB packed = SgemmKernel.PackB(true, 3, 2, pb, 3, Isa.Scalar);
            Assert.Equal((Isa.Scalar, 3, 2), (packed.Isa, packed.K, packed.N));
            float[] a = [1, 1, 1], c = new float[2];
            fixed (float* pa = a, pc = c) SgemmKernel.MultiplyPacked(false, 1, 1f, pa, 3, packed, 0f, pc, 2);
            Assert.Equal([6f, 15f], c);
            var error = Assert.Throws<ArgumentException>(() => SgemmKernel.MultiplyPacked(false, 1, 1f, null, 3, packed, 0f, null, 2));
            Assert.Contains("A is null", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public unsafe void Repacking_into_a_buffer_of_the_same_sizes_reuses_it_and_gives_a_fresh_packs_product(Isa isa)
    {
        var rng = new Random(18);
        const int M = 5, N = 37, K = 29;
        float[] a = Random(rng, M * K), first = Random(rng, K * N), second = Random(rng, K * N), wider = Random(rng, K * (N + 1));
        float[] expected = new float[M * N], actual = new float[M * N];
        fixed (float* pa = a, p1 = first, p2 = second, pw = wider, pe = expected, pc = actual)
        {
            using PackedB reused = SgemmKernel.PackB(false, K, N, p1, N, isa);
            Assert.Same(reused, SgemmKernel.PackB(false, K, N, p2, N, reused, isa));
            using (PackedB fresh = SgemmKernel.PackB(false, K, N, p2, N, isa))
                SgemmKernel.MultiplyPacked(false, M, 1f, pa, K, fresh, 0f, pe, N);
            SgemmKernel.MultiplyPacked(false, M, 1f, pa, K, reused, 0f, pc, N);
            using PackedB other = SgemmKernel.PackB(false, K, N + 1, pw, N + 1, reused, isa);
            Assert.NotSame(reused, other);
            Assert.Equal((K, N + 1), (other.K, other.N));
        }
        Assert.Equal(expected, actual);
    }

    private static unsafe void Run(Isa isa, bool transposeA, bool transposeB, int m, int n, int k, float* a, int lda, float* b, int ldb,
        float beta, float* c, int ldc, int threads, GemmEpilogue epilogue)
    {
        switch (isa)
        {
            case Isa.Avx512: SgemmKernel.Avx512(transposeA, transposeB, m, n, k, 1.5f, a, lda, b, ldb, beta, c, ldc, threads, epilogue); break;
            case Isa.Avx2: SgemmKernel.Avx2(transposeA, transposeB, m, n, k, 1.5f, a, lda, b, ldb, beta, c, ldc, threads, epilogue); break;
            default: SgemmKernel.Scalar(transposeA, transposeB, m, n, k, 1.5f, a, lda, b, ldb, beta, c, ldc, threads, epilogue); break;
        }
    }

    private static float[] Random(Random rng, int length)
    {
        var values = new float[Math.Max(length, 1)];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(rng.NextDouble() * 2 - 1);
        return values;
    }

    /// <summary>C before the product: NaN when β = 0, which must not leak, random otherwise.</summary>
    private static float[] Start(Random rng, int length, float beta)
    {
        float[] values = Random(rng, length);
        if (beta == 0f) Array.Fill(values, float.NaN);
        return values;
    }
}
