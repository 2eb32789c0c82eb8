using EmbedEngine.Kernels;

namespace EmbedEngine.Kernels.Tests;

/// <summary>Every variant of every kernel that this CPU runs, against the scalar reference, through one harness.</summary>
public class KernelVariantTests
{
    /// <summary>(kernel, variant) for every case and every variant this CPU supports.</summary>
    public static TheoryData<string, Isa> Variants()
    {
        var data = new TheoryData<string, Isa>();
        foreach (KernelCase kernel in KernelCases.All)
            foreach (Isa isa in IsaDispatch.Supported)
                data.Add(kernel.Name, isa);
        return data;
    }

    /// <summary>Every case by name.</summary>
    public static TheoryData<string> Kernels()
    {
        var data = new TheoryData<string>();
        foreach (KernelCase kernel in KernelCases.All) data.Add(kernel.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Variant_matches_the_scalar_reference(string kernel, Isa isa) =>
        Harness.Check(KernelCases.Find(kernel), isa);

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Entry_point_runs_the_active_variant_bit_for_bit(string kernel) =>
        Harness.Check(KernelCases.Find(kernel), isa: null, exact: true);

    [Fact]
    public void Harness_catches_a_write_past_the_end()
    {
        var broken = new KernelCase("Overrun", s =>
        {
            var p = new Problem();
            int h = p.Add("x", s.Vector(s.Length), new float[s.Length]);
            p.Run = (isa, m) =>
            {
                Span<float> x = m.Span(h);
                // The variant under test writes one float too many, as a wrong tail mask would.
                if (isa != Isa.Scalar) unsafe { m.Pointer(h)[x.Length] = 0f; }
                return 0f;
            };
            return p;
        });
        var failure = Assert.ThrowsAny<Exception>(() => Harness.Check(broken, Isa.Avx2));
        Assert.Contains("guard after x at 0", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Harness_catches_a_dropped_tail_element()
    {
        var broken = new KernelCase("DroppedTail", s =>
        {
            float[] x = s.Vector(s.Length);
            var tol = new float[s.Length];
            Array.Fill(tol, 1e-6f);
            var p = new Problem();
            int h = p.Add("x", x, tol);
            p.Run = (isa, m) =>
            {
                Span<float> v = m.Span(h);
                int n = isa == Isa.Scalar ? v.Length : v.Length / 8 * 8;
                for (int i = 0; i < n; i++) v[i] *= 2f;
                return 0f;
            };
            return p;
        });
        var failure = Assert.ThrowsAny<Exception>(() => Harness.Check(broken, Isa.Avx2));
        Assert.Contains("DroppedTail Avx2 vs Scalar, length 1, Random values", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_kernel_has_a_case_for_each_of_its_entry_points()
    {
        string[] names = Array.ConvertAll(KernelCases.All, c => c.Name.Split('.')[0]);
        foreach (string kernel in new[] { "Dot", "Axpy", "Scale", "LogisticUpdate", "Cbow", "BatchedSgns", "TopKCosine", "GloveUpdate", "SparseDenseProduct", "SparseRowNorms",
            "Softmax", "LogSoftmax", "Gelu", "Tanh", "SigmoidKernel", "Relu", "Dropout", "LayerNorm", "L2Normalize", "LstmCell", "Embedding", "CrossEntropy",
            "Reduction", "Sgd", "AdaGrad", "Adam", "AdamW", "GradientClip" })
            Assert.Contains(kernel, names);
        Assert.Equal(KernelCases.All.Length, KernelCases.All.Select(c => c.Name).Distinct().Count());
    }

    [Fact]
    public unsafe void Average_variants_reject_an_empty_context()
    {
        var average = new float[4];
        using var input = NativeMatrix.Allocate(1, 4);
        float* row = input.Data;
        foreach (Isa isa in IsaDispatch.Supported)
        {
            AverageFn fn = KernelCases.Pick<AverageFn>(isa, CbowKernel.Average, CbowKernel.AverageScalar,
                CbowKernel.AverageAvx2, CbowKernel.AverageAvx512);
            var e = Assert.Throws<ArgumentException>(() => fn(row, 4, [], average));
            Assert.Contains("at least one context row", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Variants_reject_mismatched_lengths()
    {
        float[] x = new float[5], y = new float[6];
        foreach (Isa isa in IsaDispatch.Supported)
        {
            AxpyFn axpy = KernelCases.Pick<AxpyFn>(isa, AxpyKernel.Axpy, AxpyKernel.Scalar, AxpyKernel.Avx2, AxpyKernel.Avx512);
            DotFn dot = KernelCases.Pick<DotFn>(isa, DotKernel.Dot, DotKernel.Scalar, DotKernel.Avx2, DotKernel.Avx512);
            Assert.Equal("Vector lengths differ: 5 and 6.", Assert.Throws<ArgumentException>(() => axpy(1f, x, y)).Message);
            Assert.Equal("Vector lengths differ: 5 and 6.", Assert.Throws<ArgumentException>(() => dot(x, y)).Message);
        }
    }

    [Fact]
    public unsafe void Sparse_variants_reject_shapes_they_cannot_serve()
    {
        long[] rowStarts = [0, 1, 2];
        int[] columns = [0, 1];
        float[] values = [1f, 2f];
        var dense = new float[2 * 4];
        var output = new float[2 * 4];
        foreach (Isa isa in IsaDispatch.Supported)
        {
            SparseProductFn product = KernelCases.Pick<SparseProductFn>(isa, SparseDenseProductKernel.Multiply,
                SparseDenseProductKernel.Scalar, SparseDenseProductKernel.Avx2, SparseDenseProductKernel.Avx512);
            SparseNormsFn norms = KernelCases.Pick<SparseNormsFn>(isa, SparseRowNormsKernel.Norms,
                SparseRowNormsKernel.Scalar, SparseRowNormsKernel.Avx2, SparseRowNormsKernel.Avx512);
            fixed (float* d = dense, o = output)
            {
                float* pd = d, po = o;
                Assert.Equal("Width 5 must be at least 0 and at most both strides (dense 4, output 4).",
                    Assert.Throws<ArgumentException>(() => product(rowStarts, columns, values, 0, 2, pd, 4, 5, po, 4)).Message);
                Assert.Equal("Rows 1..3 are not all inside a sparse matrix of 2 rows and its nonzeros.",
                    Assert.Throws<ArgumentException>(() => product(rowStarts, columns, values, 1, 2, pd, 4, 4, po, 4)).Message);
            }
            Assert.Equal("Norms hold 3 floats; the sparse matrix has 2 rows.",
                Assert.Throws<ArgumentException>(() => norms(rowStarts, values, new float[3])).Message);
        }
    }
}
