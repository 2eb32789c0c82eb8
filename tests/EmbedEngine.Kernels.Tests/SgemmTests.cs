using EmbedEngine.Kernels;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Gemm;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Tests;

/// <summary>
/// <see cref="SgemmKernel"/>: every variant against the scalar triple loop through the shared harness, on sizes
/// around the register tiles (6×64 and 6×16) and the cache blocks, all four transposes, strided views, α and β
/// (β = 0 over NaN), batches and threads, with and without the bias and ReLU epilogue.
/// </summary>
public class SgemmTests
{
    private const int Depth = GemmDriver<Simd512, Vector512<float>>.DepthBlock;
    private const int ColumnBlock = GemmDriver<Simd512, Vector512<float>>.ColumnBlock;
    private static readonly int RowBlock = GemmDriver<Simd512, Vector512<float>>.RowBlock;
    private static readonly int Rows = GemmTile<Simd512, Vector512<float>>.Rows, Columns = GemmTile<Simd512, Vector512<float>>.Columns;
    private static readonly int NarrowRows = GemmTile<Simd256, Vector256<float>>.Rows, NarrowColumns = GemmTile<Simd256, Vector256<float>>.Columns;

    /// <summary>(m, n, k): ones, primes, the tiles' edges (both widths) and one past each cache block.</summary>
    private static readonly (int M, int N, int K)[] Sizes =
    [
        (1, 1, 1), (1, 37, 5), (13, 1, 7), (2, 3, 1), (NarrowRows, NarrowColumns, 8), (NarrowRows + 1, NarrowColumns + 1, 9),
        (Rows, Columns, 16), (Rows + 1, Columns + 1, 17), (2 * Rows - 1, 2 * Columns - 1, 4),
        (37, 97, 53), (25, 65, Depth + 1), (29, 70, 2 * Depth + 31), (7, ColumnBlock + 1, 9), (RowBlock + 1, 5, 3),
        (0, 5, 3), (5, 0, 3), (5, 7, 0),
    ];

    private static readonly float[] Alphas = [1f, -0.5f, 2.5f];
    private static readonly float[] Betas = [0f, 1f, 0.75f];

    /// <summary>Every size with every transpose pair, α and β cycling so each pair meets β = 0 on many sizes.</summary>
    public static IEnumerable<GemmCase> Cases()
    {
        for (int s = 0; s < Sizes.Length; s++)
        for (int t = 0; t < 4; t++)
        {
            var (m, n, k) = Sizes[s];
            yield return new GemmCase(m, n, k, (t & 1) != 0, (t & 2) != 0, Alphas[(s + t) % 3], Betas[(s + 2 * t) % 3],
                Threads: 1 + (s + t) % 2, Bias: (s + t) % 4 is 1 or 3, Relu: (s + t) % 4 >= 2);
        }
        // C small beside the depth (weight gradients): the depth blocks are shared out between the threads.
        for (int t = 0; t < 4; t++)
            yield return new GemmCase(150, 60, 2 * Depth + 276, (t & 1) != 0, (t & 2) != 0, Alphas[t % 3], Betas[(t + 1) % 3], Threads: 2, Relu: t == 3);
        yield return new GemmCase(13, 33, 17, false, true, 1.5f, 0f, Threads: 2, Batch: 3);
        yield return new GemmCase(7, 40, 30, true, false, 1f, 0.5f, Threads: 2, Batch: 5, ShareA: true);
        yield return new GemmCase(70, 90, 130, false, false, -1f, 0f, Threads: 2, Batch: 2);
        yield return new GemmCase(3, 4, 5, true, true, 1f, 1f, Threads: 1, Batch: 1);
        yield return new GemmCase(3, 4, 5, false, false, 1f, 1f, Threads: 2, Batch: 0);
    }

    /// <summary>(case, variant) for every case and every variant this CPU runs.</summary>
    public static TheoryData<int, Isa> Variants()
    {
        var data = new TheoryData<int, Isa>();
        int count = Cases().Count();
        foreach (Isa isa in IsaDispatch.Supported)
            if (isa != Isa.Scalar)
                for (int i = 0; i < count; i++) data.Add(i, isa);
        return data;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Variant_matches_the_scalar_reference(int index, Isa isa)
    {
        GemmCase gemm = Cases().ElementAt(index);
        var rng = new Random(index);
        Harness.Compare(gemm.Build(rng), isa, offset: index % Harness.Offsets.Length, exact: false, $"Sgemm {isa} vs Scalar, {gemm}");
    }

    [Fact]
    public void Entry_point_runs_the_active_variant_bit_for_bit()
    {
        int index = 0;
        foreach (GemmCase gemm in Cases())
            Harness.Compare(gemm.Build(new Random(index)), variant: null, offset: index++ % Harness.Offsets.Length, exact: true,
                $"Sgemm entry point vs {IsaDispatch.Active}, {gemm}");
    }

    /// <summary>Threads split C into stripes of whole tiles and keep the depth order, so every sum is the same.</summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public unsafe void Two_threads_give_the_one_thread_result_bit_for_bit(bool transposeA, bool transposeB)
    {
        foreach (var (m, n, k) in new[] { (200, 150, 130), (100, 300, 140), (RowBlock + 13, 40, 70), (150, 60, 2 * Depth + 276), (64, 192, 1088) })
        {
            Problem one = new GemmCase(m, n, k, transposeA, transposeB, 1f, 0f, Threads: 1).Build(new Random(m));
            Problem two = new GemmCase(m, n, k, transposeA, transposeB, 1f, 0f, Threads: 2).Build(new Random(m));
            using var first = new Arena(one, 0);
            using var second = new Arena(two, 0);
            one.Run(null, first);
            two.Run(null, second);
            const int C = 2;
            Assert.True(first.Span(C).SequenceEqual(second.Span(C)), $"{m}×{n}×{k}: 2 threads differ from 1.");
        }
    }

    /// <summary>The specification itself, on a product small enough to check by hand, through every storage order.</summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public unsafe void Scalar_reference_computes_a_known_product(bool transposeA, bool transposeB)
    {
        // op(A) = [1 2 3; 4 5 6], op(B) = [7 8; 9 10; 11 12]; op(A)·op(B) = [58 64; 139 154].
        float[] a = transposeA ? [1, 4, 2, 5, 3, 6] : [1, 2, 3, 4, 5, 6];
        float[] b = transposeB ? [7, 9, 11, 8, 10, 12] : [7, 8, 9, 10, 11, 12];
        float[] c = [1, 2, float.NaN, 3, 4, float.NaN];
        fixed (float* pa = a, pb = b, pc = c)
            SgemmKernel.Scalar(transposeA, transposeB, 2, 2, 3, 2f, pa, transposeA ? 2 : 3, pb, transposeB ? 3 : 2, 0.5f, pc, 3);
        Assert.Equal([116.5f, 129f, float.NaN, 279.5f, 310f, float.NaN], c);
    }

    [Fact]
    public unsafe void Beta_zero_ignores_NaN_in_C_in_every_variant()
    {
        float[] a = [1, 2, 3, 4], b = [5, 6, 7, 8];
        foreach (Isa isa in IsaDispatch.Supported)
        {
            float[] c = [float.NaN, float.NaN, float.NaN, float.NaN];
            fixed (float* pa = a, pb = b, pc = c)
                KernelCases.Pick<SgemmFn>(isa, SgemmKernel.Multiply, SgemmKernel.Scalar, SgemmKernel.Avx2, SgemmKernel.Avx512)(
                    false, false, 2, 2, 2, 1f, pa, 2, pb, 2, 0f, pc, 2, 1, default);
            Assert.Equal([19f, 22f, 43f, 50f], c);
        }
    }

    /// <summary>[58 64; 139 154] plus the bias [−100, −60] is [−42 4; 39 94], and the ReLU clears the −42, in every variant.</summary>
    [Fact]
    public unsafe void Epilogue_adds_the_bias_to_every_row_then_applies_the_relu_in_every_variant()
    {
        float[] a = [1, 2, 3, 4, 5, 6], b = [7, 8, 9, 10, 11, 12], bias = [-100f, -60f];
        foreach (Isa isa in IsaDispatch.Supported)
        foreach (bool relu in new[] { false, true })
        {
            float[] c = [float.NaN, float.NaN, float.NaN, float.NaN];
            fixed (float* pa = a, pb = b, pc = c, pBias = bias)
                KernelCases.Pick<SgemmFn>(isa, SgemmKernel.Multiply, SgemmKernel.Scalar, SgemmKernel.Avx2, SgemmKernel.Avx512)(
                    false, false, 2, 2, 3, 1f, pa, 3, pb, 2, 0f, pc, 2, 1, new GemmEpilogue(pBias, relu));
            Assert.Equal(relu ? [0f, 4f, 39f, 94f] : [-42f, 4f, 39f, 94f], c);
        }
    }

    [Fact]
    public unsafe void Arguments_that_would_reach_outside_the_views_are_rejected()
    {
        var a = new float[12];
        var b = new float[12];
        var c = new float[12];
        fixed (float* pa = a, pb = b, pc = c)
        {
            float* x = pa, y = pb, z = pc;
            foreach (Isa isa in IsaDispatch.Supported)
            {
                SgemmFn gemm = KernelCases.Pick<SgemmFn>(isa, SgemmKernel.Multiply, SgemmKernel.Scalar, SgemmKernel.Avx2, SgemmKernel.Avx512);
                Assert.Equal("lda 2 is less than the row width 3 of the stored matrix.",
                    Assert.Throws<ArgumentException>(() => gemm(false, false, 2, 2, 3, 1f, x, 2, y, 2, 0f, z, 2, 1, default)).Message);
                Assert.Equal("lda 2 is less than the row width 3 of the stored matrix (transposed).",
                    Assert.Throws<ArgumentException>(() => gemm(true, false, 3, 2, 2, 1f, x, 2, y, 2, 0f, z, 2, 1, default)).Message);
                Assert.Equal("ldc 1 is less than the row width 2 of the stored matrix.",
                    Assert.Throws<ArgumentException>(() => gemm(false, false, 2, 2, 2, 1f, x, 2, y, 2, 0f, z, 1, 1, default)).Message);
                Assert.Equal("Sizes must be non-negative: m -1, n 2, k 2.",
                    Assert.Throws<ArgumentException>(() => gemm(false, false, -1, 2, 2, 1f, x, 2, y, 2, 0f, z, 2, 1, default)).Message);
                Assert.Equal("B is null but op(B) is 2×2.",
                    Assert.Throws<ArgumentException>(() => gemm(false, false, 2, 2, 2, 1f, x, 2, null, 2, 0f, z, 2, 1, default)).Message);
                Assert.Equal("Threads must be 0 (every core) or more, not -1.",
                    Assert.Throws<ArgumentException>(() => gemm(false, false, 2, 2, 2, 1f, x, 2, y, 2, 0f, z, 2, -1, default)).Message);
            }
            Assert.Equal("C's batch stride 3 is less than one item's extent 4, so items would overlap.",
                Assert.Throws<ArgumentException>(() => SgemmKernel.MultiplyBatched(false, false, 2, 2, 2, 1f, x, 2, 4, y, 2, 4, 0f, z, 2, 3, 2)).Message);
        }
        Assert.Equal("C holds 3 floats; its view reaches 4.",
            Assert.Throws<ArgumentException>(() => SgemmKernel.Multiply(false, false, 2, 2, 2, 1f, a, 2, b, 2, 0f, c.AsSpan(0, 3), 2)).Message);
        Assert.Equal("A holds 11 floats; its view reaches 12.",
            Assert.Throws<ArgumentException>(() => SgemmKernel.Multiply(true, false, 2, 2, 3, 1f, a.AsSpan(0, 11), 5, b, 2, 0f, c, 2)).Message);
    }

    [Fact]
    public void Span_overload_multiplies_what_the_spans_hold()
    {
        float[] a = [1, 2, 3, 4], b = [5, 6, 7, 8], c = new float[4];
        SgemmKernel.Multiply(false, true, 2, 2, 2, 1f, a, 2, b, 2, 0f, c, 2);
        Assert.Equal([17f, 23f, 39f, 53f], c);
    }
}
