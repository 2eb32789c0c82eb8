using EmbedEngine.Kernels;
using EmbedEngine.Models.FastText.Quantization;

namespace EmbedEngine.Models.Tests.Quantization;

public sealed class QuantizedMatrixTests
{
    [Fact]
    public void Quantized_norms_are_close_and_rows_are_unit_directions()
    {
        using NativeMatrix m = ProductQuantizerTests.RandomMatrix(800, 6, seed: 7);
        var random = new Random(8);
        var norms = new float[m.Rows];
        for (int r = 0; r < m.Rows; r++)
        {
            // Norms spread over a factor of four.
            float scale = (float)(0.5 + random.NextDouble() * 1.5);
            for (int c = 0; c < 6; c++) m.Row(r)[c] *= scale;
            norms[r] = MathF.Sqrt(DotKernel.Dot(m.Row(r), m.Row(r)));
        }
        QuantizedMatrix q = QuantizedMatrix.Quantize(m, subspaceDimension: 1, quantizeNorms: true);

        Assert.NotNull(q.NormCodes);
        double relativeError = 0;
        for (int r = 0; r < m.Rows; r++)
        {
            // The source rows were normalized in place.
            Assert.Equal(1f, MathF.Sqrt(DotKernel.Dot(m.Row(r), m.Row(r))), 4);
            float quantizedNorm = q.NormQuantizer!.Centroid(0, q.NormCodes[r], 0);
            // 256 levels for 800 norms spread over a few units: each within a few hundredths.
            Assert.InRange(Math.Abs(quantizedNorm - norms[r]), 0, 0.05);
            relativeError += Math.Abs(quantizedNorm - norms[r]) / norms[r] / m.Rows;
            var decoded = new float[6];
            q.AddRow(r, 1f, decoded);
            Assert.Equal(quantizedNorm, MathF.Sqrt(DotKernel.Dot(decoded, decoded)), quantizedNorm * 0.05f);
        }
        Assert.InRange(relativeError, 0, 0.005);
    }

    [Fact]
    public void Dot_and_scaled_add_agree_with_the_decoded_row()
    {
        using NativeMatrix m = ProductQuantizerTests.RandomMatrix(300, 9, seed: 9);
        QuantizedMatrix q = QuantizedMatrix.Quantize(m, subspaceDimension: 2, quantizeNorms: true);
        float[] x = [.. Enumerable.Range(0, 9).Select(i => 0.1f * i - 0.4f)];
        for (int r = 0; r < q.Rows; r += 17)
        {
            var decoded = new float[9];
            q.AddRow(r, 1f, decoded);
            Assert.Equal(DotKernel.Scalar(decoded, x), q.DotRow(r, x), 5);
            float[] y = [.. x];
            q.AddRow(r, -2f, y);
            for (int c = 0; c < 9; c++) Assert.Equal(x[c] - 2f * decoded[c], y[c], 5);
        }
    }

    [Fact]
    public void Sizes_that_do_not_fit_are_refused()
    {
        var pq = new ProductQuantizer(4, 2);
        Assert.Throws<ArgumentException>(() => new QuantizedMatrix(10, pq, new byte[19]));
        Assert.Throws<ArgumentException>(() => new QuantizedMatrix(10, pq, new byte[20], new ProductQuantizer(2, 1), new byte[10]));
        Assert.Throws<ArgumentException>(() => new QuantizedMatrix(10, pq, new byte[20], new ProductQuantizer(1, 1), new byte[9]));
        var matrix = new QuantizedMatrix(10, pq, new byte[20]);
        Assert.Throws<ArgumentOutOfRangeException>(() => matrix.DotRow(10, new float[4]));
        Assert.Throws<ArgumentException>(() => matrix.DotRow(0, new float[5]));
    }
}
