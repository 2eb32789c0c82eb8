using EmbedEngine.Kernels;
using EmbedEngine.Models.FastText.Quantization;

namespace EmbedEngine.Models.Tests.Quantization;

public sealed class ProductQuantizerTests
{
    /// <summary>Rows of Gaussian-like values (sums of uniforms), seeded.</summary>
    internal static NativeMatrix RandomMatrix(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        NativeMatrix m = NativeMatrix.Allocate(rows, columns, padRows: true);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                m.Row(r)[c] = (float)(random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5);
        return m;
    }

    /// <summary>Row <paramref name="row"/> as the quantizer decodes it from <paramref name="codes"/>.</summary>
    private static float[] Decode(ProductQuantizer pq, byte[] codes, int row)
    {
        var quantized = new QuantizedMatrix(codes.Length / pq.SubspaceCount, pq, codes);
        var decoded = new float[pq.Dimension];
        quantized.AddRow(row, 1f, decoded);
        return decoded;
    }

    /// <summary>Mean squared reconstruction error over mean squared norm.</summary>
    private static double RelativeError(NativeMatrix m, int subspaceDimension)
    {
        var pq = new ProductQuantizer(m.Columns, subspaceDimension);
        pq.Train(m);
        var codes = new byte[m.Rows * pq.SubspaceCount];
        pq.Encode(m, codes);
        double error = 0, energy = 0;
        for (int r = 0; r < m.Rows; r++)
        {
            float[] decoded = Decode(pq, codes, r);
            for (int c = 0; c < m.Columns; c++)
            {
                error += Math.Pow(m.Row(r)[c] - decoded[c], 2);
                energy += Math.Pow(m.Row(r)[c], 2);
            }
        }
        return error / energy;
    }

    [Fact]
    public void Reconstruction_error_is_bounded_and_falls_as_subspaces_shrink()
    {
        using NativeMatrix m = RandomMatrix(3000, 12, seed: 1);
        double[] errors = [.. new[] { 12, 6, 4, 2, 1 }.Select(dsub => RelativeError(m, dsub))];
        // 256 centroids for a 12-dimensional cloud of 3000 points leave most of the energy; for one dimension,
        // 256 levels over a range of about ±1.5 leave almost none.
        Assert.InRange(errors[0], 0.2, 0.9);
        Assert.InRange(errors[^1], 0, 1e-3);
        for (int i = 1; i < errors.Length; i++)
            Assert.True(errors[i] < errors[i - 1], $"error {errors[i]} with dsub index {i} is not below {errors[i - 1]}");
    }

    [Fact]
    public void Rows_made_of_centroids_encode_to_their_codes_and_decode_exactly()
    {
        using NativeMatrix training = RandomMatrix(1000, 7, seed: 2);
        var pq = new ProductQuantizer(7, 2);
        pq.Train(training);
        Assert.Equal((4, 2, 1), (pq.SubspaceCount, pq.SubspaceDimension, pq.LastSubspaceDimension));

        var random = new Random(3);
        const int Rows = 50;
        using NativeMatrix exact = NativeMatrix.Allocate(Rows, 7, padRows: true);
        var chosen = new byte[Rows * pq.SubspaceCount];
        for (int r = 0; r < Rows; r++)
            for (int m = 0; m < pq.SubspaceCount; m++)
            {
                chosen[r * pq.SubspaceCount + m] = (byte)random.Next(ProductQuantizer.CentroidCount);
                for (int k = 0; k < pq.DimensionOf(m); k++)
                    exact.Row(r)[m * 2 + k] = pq.Centroid(m, chosen[r * pq.SubspaceCount + m], k);
            }
        var codes = new byte[chosen.Length];
        pq.Encode(exact, codes);
        for (int r = 0; r < Rows; r++) Assert.Equal(exact.Row(r).ToArray(), Decode(pq, codes, r));
        // Two centroids may coincide (a split cluster that never moved); then the lower code wins, decoding the same.
        Assert.True(codes.Zip(chosen).Count(pair => pair.First == pair.Second) >= chosen.Length - 2);
    }

    [Fact]
    public void File_order_round_trips_and_is_centroid_major()
    {
        using NativeMatrix training = RandomMatrix(400, 5, seed: 4);
        var pq = new ProductQuantizer(5, 2);
        pq.Train(training);
        float[] file = pq.CentroidMajor();
        // fastText's layout: subspace m at m·256·dsub, centroid c at c·d within it (d = 1 for the last here).
        Assert.Equal(pq.Centroid(1, 7, 1), file[1 * 256 * 2 + 7 * 2 + 1]);
        Assert.Equal(pq.Centroid(2, 9, 0), file[2 * 256 * 2 + 9]);
        ProductQuantizer loaded = ProductQuantizer.FromCentroidMajor(5, 2, file);
        for (int m = 0; m < pq.SubspaceCount; m++) Assert.True(pq.Centroids(m).SequenceEqual(loaded.Centroids(m)));
    }

    [Fact]
    public void Training_is_deterministic()
    {
        using NativeMatrix m = RandomMatrix(600, 4, seed: 5);
        ProductQuantizer first = new(4, 2), second = new(4, 2);
        first.Train(m);
        second.Train(m);
        Assert.Equal(first.CentroidMajor(), second.CentroidMajor());
    }

    [Fact]
    public void Fewer_rows_than_centroids_cannot_be_trained()
    {
        using NativeMatrix m = RandomMatrix(255, 4, seed: 6);
        var error = Assert.Throws<ArgumentException>(() => new ProductQuantizer(4, 2).Train(m));
        Assert.Contains("at least 256", error.Message, StringComparison.Ordinal);
    }
}
