using EmbedEngine.Kernels;

namespace EmbedEngine.Kernels.Tests;

/// <summary>
/// <see cref="OutputRows"/> with its first rows in a private copy: every variant of
/// <see cref="LogisticUpdateKernel"/> must compute exactly what it computes on the whole matrix (only the rows'
/// addresses differ), on odd widths, with targets on both sides of the split and repeated ones.
/// </summary>
public unsafe class OutputRowsTests
{
    private const float LearningRate = 0.05f;

    /// <summary>Each variant this CPU runs.</summary>
    public static TheoryData<Isa> Variants() => [.. IsaDispatch.Supported];

    [Theory]
    [MemberData(nameof(Variants))]
    public void A_matrix_split_into_staged_and_shared_rows_updates_as_the_whole_one(Isa isa)
    {
        var rng = new Random(7);
        LogisticFn update = KernelCases.Pick<LogisticFn>(isa, LogisticUpdateKernel.Update, LogisticUpdateKernel.Scalar,
            LogisticUpdateKernel.Avx2, LogisticUpdateKernel.Avx512);
        foreach (int dim in new[] { 1, 7, 16, 37, 200, 203 })
        {
            for (int trial = 0; trial < 20; trial++)
            {
                int rows = 12, staged = 1 + rng.Next(rows - 1), stride = dim + rng.Next(3), count = 2 + rng.Next(8);
                float[] whole = Random(rows * stride, rng), hidden = Random(dim, rng), grad = Random(dim, rng);
                int[] targets = new int[count];
                for (int j = 0; j < count; j++) targets[j] = rng.Next(rows);
                // At least one target on each side of the split.
                targets[0] = rng.Next(staged);
                targets[^1] = staged + rng.Next(rows - staged);
                float[] labels = Array.ConvertAll(targets, _ => (float)rng.Next(2));

                float[] shared = (float[])whole.Clone(), copy = whole[..(staged * stride)], splitGrad = (float[])grad.Clone();
                float lossWhole, lossSplit;
                fixed (float* w = whole) lossWhole = update(hidden, new OutputRows(w, stride), targets, labels, LearningRate, grad, SigmoidMode.Exact);
                fixed (float* s = shared, c = copy)
                    lossSplit = update(hidden, new OutputRows(s, stride, c, staged), targets, labels, LearningRate, splitGrad, SigmoidMode.Exact);

                Assert.Equal(lossWhole, lossSplit);
                Assert.Equal(grad, splitGrad);
                Assert.Equal(whole[..(staged * stride)], copy);
                Assert.Equal(whole[(staged * stride)..], shared[(staged * stride)..]);
                Assert.False(whole.AsSpan(0, staged * stride).SequenceEqual(shared.AsSpan(0, staged * stride)), "the staged target's row moved in the copy only");
            }
        }
    }

    [Fact]
    public void Rows_below_the_count_come_from_the_copy_and_the_rest_from_the_matrix()
    {
        float[] matrix = new float[12], copy = new float[6];
        fixed (float* m = matrix, c = copy)
        {
            float* shared = m, staged = c;
            var rows = new OutputRows(shared, 3, staged, 2);
            Assert.True(rows.Row(0) == staged);
            Assert.True(rows.Row(1) == staged + 3);
            Assert.True(rows.Row(2) == shared + 6);
            Assert.True(OutputRows.Of(NativeMatrix.Wrap(shared, 4, 3, 3, null)).Row(1) == shared + 3);
            Assert.Throws<ArgumentNullException>(() => new OutputRows(shared, 3, null, 1));
            Assert.Throws<ArgumentOutOfRangeException>(() => new OutputRows(shared, 3, staged, -1));
        }
    }

    private static float[] Random(int length, Random rng)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)(rng.NextDouble() * 2 - 1);
        return values;
    }
}
