using EmbedEngine.Kernels.Dense;

namespace EmbedEngine.Kernels.Tests;

/// <summary>The scalar references' forward results against direct double-precision formulas and hand-computed examples.</summary>
public class ReferenceMathTests
{
    private static readonly Random Rng = new(11);

    private static float[] Draw(int count, double scale)
    {
        var v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float)((Rng.NextDouble() * 2 - 1) * scale);
        return v;
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(80.0)]
    public void Softmax_rows_sum_to_one_and_match_double_precision(double scale)
    {
        const int columns = 37;
        float[] x = Draw(3 * columns, scale), y = new float[x.Length], logY = new float[x.Length];
        Array.Fill(x, 80f, 0, columns);
        SoftmaxKernel.ForwardScalar(x, y, columns);
        LogSoftmaxKernel.ForwardScalar(x, logY, columns);
        for (int r = 0; r < 3; r++)
        {
            double[] p = GradientCheckTests.SoftmaxRow(Array.ConvertAll(x[(r * columns)..((r + 1) * columns)], v => (double)v));
            Assert.Equal(1.0, y.AsSpan(r * columns, columns).ToArray().Sum(v => (double)v), 5);
            for (int c = 0; c < columns; c++)
            {
                Assert.True(Math.Abs(y[r * columns + c] - p[c]) <= 1e-5 * p[c] + 1e-37, $"softmax[{r},{c}]: {y[r * columns + c]} vs {p[c]}");
                if (p[c] > 1e-30) Assert.Equal(Math.Log(p[c]), logY[r * columns + c], 1e-4 * (1 + Math.Abs(Math.Log(p[c]))));
            }
        }
        Assert.All(y[..columns], v => Assert.Equal(1f / columns, v, 1e-7f));
    }

    [Fact]
    public void Cross_entropy_is_the_mean_negative_log_likelihood_of_the_counted_rows()
    {
        const int columns = 10;
        float[] x = Draw(4 * columns, 5);
        int[] targets = [3, 9, -1, 0];
        var gradient = new float[x.Length];
        float loss = CrossEntropyKernel.Scalar(x, targets, gradient, columns, ignoreIndex: -1);
        double expected = 0;
        foreach (int r in new[] { 0, 1, 3 })
        {
            double[] row = Array.ConvertAll(x[(r * columns)..((r + 1) * columns)], v => (double)v);
            expected += Math.Log(row.Sum(Math.Exp)) - row[targets[r]];
            double[] p = GradientCheckTests.SoftmaxRow(row);
            for (int c = 0; c < columns; c++) Assert.Equal((p[c] - (c == targets[r] ? 1 : 0)) / 3, gradient[r * columns + c], 1e-6);
        }
        Assert.Equal(expected / 3, loss, 1e-5);
        Assert.All(gradient[(2 * columns)..(3 * columns)], v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Cross_entropy_of_only_ignored_rows_is_zero_with_a_zero_gradient()
    {
        float[] gradient = [9f, 9f, 9f];
        Assert.Equal(0f, CrossEntropyKernel.Compute([1f, 2f, 3f], [CrossEntropyKernel.DefaultIgnoreIndex], gradient, 3));
        Assert.Equal([0f, 0f, 0f], gradient);
    }

    [Fact]
    public void Layer_norm_of_a_constant_row_is_beta()
    {
        float[] x = [4f, 4f, 4f, 4f], gamma = [2f, 2f, 2f, 2f], beta = [0.5f, -1f, 0f, 3f], y = new float[4], mean = new float[1], rstd = new float[1];
        LayerNormKernel.ForwardScalar(x, gamma, beta, 1e-5f, y, mean, rstd);
        Assert.Equal(beta, y);
        Assert.Equal(4f, mean[0]);
        Assert.Equal(1 / Math.Sqrt(1e-5), rstd[0], 1e-2);
    }

    [Fact]
    public void Gelu_matches_the_tanh_approximation_in_double()
    {
        float[] x = Draw(100, 6), y = new float[100];
        GeluKernel.ForwardScalar(x, y);
        for (int i = 0; i < x.Length; i++) Assert.Equal(GradientCheckTests.Gelu(x[i]), y[i], 2e-6 * (1 + Math.Abs(x[i])));
    }

    /// <summary>
    /// w = 1, g = 0.5 then −0.25, lr 0.1, β = (0.9, 0.999). Step 1: m = 0.05, v = 2.5e-4, m̂ = 0.5, v̂ = 0.25, so
    /// w = 1 − 0.1·0.5/0.5 = 0.9. Step 2: m = 0.045 − 0.025 = 0.02, v = 2.4975e-4 + 6.25e-5 = 3.1225e-4,
    /// m̂ = 0.02/0.19, v̂ = 3.1225e-4/0.001999, so w = 0.9 − 0.1·0.1052632/0.3952254 = 0.8733663. AdamW with λ = 0.1
    /// first scales w by 1 − lr·λ = 0.99: 0.99 − 0.1 = 0.89, then 0.89·0.99 − 0.0266337 = 0.8544663.
    /// </summary>
    [Theory]
    [InlineData(false, 0.9, 0.8733663)]
    [InlineData(true, 0.89, 0.8544663)]
    public void Adam_matches_a_hand_computed_two_step_example(bool decoupled, double afterOne, double afterTwo)
    {
        var settings = new AdamSettings(0.1f, WeightDecay: decoupled ? 0.1f : 0f, Decoupled: decoupled);
        float[] w = [1f], m = [0f], v = [0f];
        AdamKernel.Scalar(w, [0.5f], m, v, settings, 1);
        Assert.Equal(afterOne, w[0], 1e-6);
        AdamKernel.Scalar(w, [-0.25f], m, v, settings, 2);
        Assert.Equal(afterTwo, w[0], 1e-6);
        Assert.Equal(0.02, m[0], 1e-7);
        // 1 − 0.999 is 0.00099998713 in float, which moves v by 4e-9.
        Assert.Equal(3.1225e-4, v[0], 1e-8);
    }

    /// <summary>
    /// w = 1, g = 1 twice, lr 0.1, μ 0.9. Momentum: v = 1, w = 0.9; v = 1.9, w = 0.71. Nesterov steps along g + μv:
    /// 1.9 then 1 + 1.71 = 2.71, so w = 0.81 then 0.539.
    /// </summary>
    [Theory]
    [InlineData(false, 0.9, 0.71)]
    [InlineData(true, 0.81, 0.539)]
    public void Sgd_matches_a_hand_computed_two_step_example(bool nesterov, double afterOne, double afterTwo)
    {
        float[] w = [1f], v = [0f];
        SgdKernel.Scalar(w, [1f], v, 0.1f, 0.9f, nesterov);
        Assert.Equal(afterOne, w[0], 1e-6);
        SgdKernel.Scalar(w, [1f], v, 0.1f, 0.9f, nesterov);
        Assert.Equal(afterTwo, w[0], 1e-6);
        Assert.Equal(1.9f, v[0], 1e-6f);
    }

    /// <summary>w = 1, g = 2 then 1, lr 0.1: s = 4, w = 1 − 0.1·2/2 = 0.9; s = 5, w = 0.9 − 0.1/√5 = 0.8552786.</summary>
    [Fact]
    public void AdaGrad_matches_a_hand_computed_two_step_example()
    {
        float[] w = [1f], s = [0f];
        AdaGradKernel.Scalar(w, [2f], s, 0.1f, 1e-10f);
        Assert.Equal(0.9, w[0], 1e-6);
        AdaGradKernel.Scalar(w, [1f], s, 0.1f, 1e-10f);
        Assert.Equal(0.8552786, w[0], 1e-6);
        Assert.Equal(5f, s[0]);
    }

    /// <summary>Gradients (3, 4) and (12): norm 13; a limit of 6.5 halves them, a limit of 20 leaves them.</summary>
    [Fact]
    public unsafe void Clipping_scales_every_gradient_by_limit_over_the_global_norm()
    {
        float[] a = [3f, 4f], b = [12f];
        fixed (float* pa = a, pb = b)
        {
            FloatBuffer[] buffers = [new(pa, 2), new(pb, 1)];
            Assert.Equal(13f, GradientClipKernel.Scalar(buffers, 20f));
            Assert.Equal([3f, 4f], a);
            Assert.Equal(13f, GradientClipKernel.ClipByGlobalNorm(buffers, 6.5f));
        }
        Assert.Equal(1.5, a[0], 1e-6);
        Assert.Equal(2.0, a[1], 1e-6);
        Assert.Equal(6.0, b[0], 1e-6);
    }

    [Fact]
    public void Dropout_keeps_about_one_minus_p_scaled_and_the_backward_pass_uses_the_same_mask()
    {
        const int n = 100_000;
        const float p = 0.3f;
        float[] x = new float[n], y = new float[n], dx = new float[n];
        Array.Fill(x, 1f);
        DropoutKernel.Forward(x, y, p, seed: 42);
        int kept = y.Count(v => v != 0f);
        Assert.InRange(kept / (double)n, 0.69, 0.71);
        Assert.All(y, v => Assert.True(v == 0f || Math.Abs(v - 1 / (1 - p)) < 1e-6, $"{v}"));
        DropoutKernel.Backward(x, dx, p, seed: 42);
        Assert.Equal(y, dx);
        DropoutKernel.Forward(x, dx, p, seed: 43);
        Assert.NotEqual(y, dx);
    }

    [Fact]
    public void Dropout_from_an_element_on_takes_the_masks_of_that_part_of_the_whole()
    {
        // 37 from element 45: neither the start nor the length is a whole number of vectors.
        float[] x = [.. Enumerable.Range(1, 100).Select(i => (float)i)], whole = new float[100], part = new float[37], reference = new float[37];
        DropoutKernel.Forward(x, whole, 0.4f, seed: 9);
        DropoutKernel.Forward(x.AsSpan(45, 37), part, 0.4f, seed: 9, first: 45);
        DropoutKernel.Scalar(x.AsSpan(45, 37), reference, 0.4f, seed: 9, first: 45);
        Assert.Equal(whole.AsSpan(45, 37).ToArray(), part);
        Assert.Equal(part, reference);
    }

    [Fact]
    public void Scatter_add_sums_the_gradients_of_repeated_indices()
    {
        float[] grad = [1f, 2f, 10f, 20f, 100f, 200f], table = new float[6];
        EmbeddingKernel.ScatterAdd(grad, [2, 0, 2], table, 2);
        Assert.Equal([10f, 20f, 0f, 0f, 101f, 202f], table);
        var output = new float[4];
        EmbeddingKernel.Gather(table, 2, [2, 2], output);
        Assert.Equal([101f, 202f, 101f, 202f], output);
    }

    [Fact]
    public void Reductions_match_double_precision()
    {
        float[] x = Draw(1001, 3);
        Assert.Equal(x.Sum(v => (double)v), ReductionKernel.Sum(x), 1e-3);
        Assert.Equal(x.Sum(v => (double)v * v), ReductionKernel.SumOfSquares(x), 1e-2);
        Assert.Equal(x.Max(), ReductionKernel.Max(x));
        var sums = new float[7];
        ReductionKernel.AddColumnSums(x.AsSpan(0, 143 * 7), sums);
        for (int c = 0; c < 7; c++) Assert.Equal(Enumerable.Range(0, 143).Sum(r => (double)x[r * 7 + c]), sums[c], 1e-3);
    }

    [Fact]
    public void Kernels_reject_bad_shapes_and_arguments_with_clear_messages()
    {
        float[] four = new float[4], three = new float[3];
        Assert.Equal("4 floats are not a whole number of rows of 3 columns.",
            Assert.Throws<ArgumentException>(() => SoftmaxKernel.Forward(four, four, 3)).Message);
        Assert.Equal("'y' holds 3 floats; 4 expected.", Assert.Throws<ArgumentException>(() => GeluKernel.Forward(four, three)).Message);
        Assert.Contains("A target must be a class below 2",
            Assert.Throws<ArgumentOutOfRangeException>(() => CrossEntropyKernel.Compute(four, [0, 2], new float[4], 2)).Message, StringComparison.Ordinal);
        Assert.Contains("An index must name a row below 2",
            Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingKernel.Gather(four, 2, [5], new float[2])).Message, StringComparison.Ordinal);
        Assert.Contains("[0, 1]", Assert.Throws<ArgumentOutOfRangeException>(() => DropoutKernel.Forward(four, four, 1.5f, 1)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => AdamKernel.Update(four, four, four, four, new AdamSettings(), step: 0));
    }
}
