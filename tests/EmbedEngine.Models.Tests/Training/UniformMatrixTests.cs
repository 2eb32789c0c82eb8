using EmbedEngine.Kernels;
using EmbedEngine.Models.Training;

namespace EmbedEngine.Models.Tests.Training;

public sealed class UniformMatrixTests
{
    [Fact]
    public void A_row_starts_the_same_whichever_rows_the_matrix_holds_and_in_whatever_order()
    {
        long[] chosen = [8, 2, 5];
        using NativeMatrix full = UniformMatrix.CreateRows(10, 7, 3.5f, seed: 11, row => row);
        using NativeMatrix some = UniformMatrix.CreateRows(3, 7, 3.5f, seed: 11, row => chosen[row]);
        for (int r = 0; r < chosen.Length; r++) Assert.Equal(full.Row((int)chosen[r]).ToArray(), some.Row(r).ToArray());

        // Entries are (u − 0.5) / 3.5 for u in [0, 1), and rows differ from one another and from another seed's.
        float[] all = [.. Enumerable.Range(0, 10).SelectMany(r => full.Row(r).ToArray())];
        Assert.All(all, v => Assert.InRange(v, -0.5f / 3.5f, 0.5f / 3.5f));
        Assert.InRange(all.Average(), -0.03, 0.03);
        Assert.NotEqual(full.Row(0).ToArray(), full.Row(1).ToArray());
        using NativeMatrix reseeded = UniformMatrix.CreateRows(1, 7, 3.5f, seed: 12, row => 8);
        Assert.NotEqual(full.Row(8).ToArray(), reseeded.Row(0).ToArray());
    }
}
