namespace EmbedEngine.Tensors.Tests;

/// <summary>The mean of bags of embedding rows.</summary>
public class EmbeddingBagTests
{
    private static readonly int[] Indices = [0, 3, 3, 1, 4, 2, 0];
    private static readonly int[] Offsets = [0, 3, 3, 4, 7]; // bags {0, 3, 3}, {}, {1}, {4, 2, 0}

    [Fact]
    public void Bag_means_match_finite_differences()
    {
        using Tensor table = GradientCheck.Random(91, 5, 3);
        GradientCheck.Check(t => Ops.EmbeddingBagMean(t[0], Indices, Offsets), p =>
        {
            var y = new double[4 * 3];
            for (int b = 0; b < 4; b++)
                for (int i = Offsets[b]; i < Offsets[b + 1]; i++)
                    for (int c = 0; c < 3; c++) y[b * 3 + c] += p[0][Indices[i] * 3 + c] / (Offsets[b + 1] - Offsets[b]);
            return y;
        }, table);
    }

    [Fact]
    public void An_empty_bag_is_zeros_and_bad_offsets_or_rows_are_refused()
    {
        using Tensor table = GradientCheck.Random(92, 5, 3);
        Assert.Equal([0f, 0f, 0f], Ops.EmbeddingBagMean(table, Indices, Offsets).ToArray()[3..6]);
        Assert.Throws<ArgumentException>(() => Ops.EmbeddingBagMean(table, Indices, [0, 3, 2, 7]));
        Assert.Throws<ArgumentException>(() => Ops.EmbeddingBagMean(table, Indices, [0, 3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.EmbeddingBagMean(table, [0, 5], [0, 2]));
    }
}
