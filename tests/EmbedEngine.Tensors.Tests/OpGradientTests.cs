using EmbedEngine.Kernels.Dense;
using EmbedEngine.Tensors;

namespace EmbedEngine.Tensors.Tests;

/// <summary>
/// Every differentiable operation's backward step against finite differences of a double-precision reference, on the
/// CPU and, for the operations that have GPU kernels, on the GPU device too.
/// </summary>
public class OpGradientTests
{
    private static double[] Map(double[] x, Func<double, double> f) => x.Select(f).ToArray();

    private static double Gelu(double x) => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));

    [Theory]
    [MemberData(nameof(TestDevices.Both), MemberType = typeof(TestDevices))]
    public void Relu(string device) => Unary(device, Ops.Relu, v => Math.Max(0, v));

    [Theory]
    [MemberData(nameof(TestDevices.Both), MemberType = typeof(TestDevices))]
    public void Gelu_tanh_approximation(string device) => Unary(device, Ops.Gelu, Gelu);

    [Theory]
    [MemberData(nameof(TestDevices.Both), MemberType = typeof(TestDevices))]
    public void Tanh(string device) => Unary(device, Ops.Tanh, Math.Tanh);

    [Theory]
    [MemberData(nameof(TestDevices.Both), MemberType = typeof(TestDevices))]
    public void Sigmoid(string device) => Unary(device, Ops.Sigmoid, v => 1 / (1 + Math.Exp(-v)));

    [Theory]
    [MemberData(nameof(TestDevices.Both), MemberType = typeof(TestDevices))]
    public void Softmax_over_the_last_dimension(string device) => Rows(device, Ops.Softmax, row =>
    {
        double max = row.Max();
        double[] e = Map(row, v => Math.Exp(v - max));
        double sum = e.Sum();
        return Map(e, v => v / sum);
    });

    [Theory]
    [MemberData(nameof(TestDevices.Both), MemberType = typeof(TestDevices))]
    public void LogSoftmax_over_the_last_dimension(string device) => Rows(device, Ops.LogSoftmax, row =>
    {
        double max = row.Max();
        double log = Math.Log(row.Sum(v => Math.Exp(v - max))) + max;
        return Map(row, v => v - log);
    });

    [Theory]
    [MemberData(nameof(TestDevices.Both), MemberType = typeof(TestDevices))]
    public void LayerNorm_for_input_gamma_and_beta(string device)
    {
        const int rows = 3, columns = 7;
        using Tensor x = GradientCheck.Random(1, rows, columns), gamma = GradientCheck.Random(2, columns), beta = GradientCheck.Random(3, columns);
        GradientCheck.CheckOn(device, t => Ops.LayerNorm(t[0], t[1], t[2], 1e-5f), p =>
        {
            var y = new double[rows * columns];
            for (int r = 0; r < rows; r++)
            {
                double[] row = p[0].Skip(r * columns).Take(columns).ToArray();
                double mean = row.Average(), variance = row.Average(v => (v - mean) * (v - mean));
                for (int c = 0; c < columns; c++) y[r * columns + c] = (row[c] - mean) / Math.Sqrt(variance + 1e-5) * p[1][c] + p[2][c];
            }
            return y;
        }, x, gamma, beta);
    }

    [Theory]
    [MemberData(nameof(TestDevices.Both), MemberType = typeof(TestDevices))]
    public void Embedding_sums_the_gradients_of_repeated_rows(string device)
    {
        int[] indices = [2, 0, 2, 3];
        using Tensor table = GradientCheck.Random(4, 5, 3);
        GradientCheck.CheckOn(device, t => Ops.Embedding(t[0], indices), p => indices.SelectMany(i => p[0].Skip(i * 3).Take(3)).ToArray(), table);
        Assert.Equal(new float[3], table.Grad!.ToArray().Skip(3).Take(3).ToArray());
    }

    [Theory]
    [MemberData(nameof(TestDevices.Both), MemberType = typeof(TestDevices))]
    public void Cross_entropy_with_an_ignored_row(string device)
    {
        int[] targets = [1, CrossEntropyKernel.DefaultIgnoreIndex, 0, 3];
        using Tensor logits = GradientCheck.Random(5, 4, 4);
        GradientCheck.CheckOn(device, t => Ops.CrossEntropy(t[0], targets), p =>
        {
            double total = 0;
            int counted = 0;
            for (int r = 0; r < 4; r++)
            {
                if (targets[r] < 0) continue;
                double[] row = p[0].Skip(r * 4).Take(4).ToArray();
                double max = row.Max();
                total += Math.Log(row.Sum(v => Math.Exp(v - max))) + max - row[targets[r]];
                counted++;
            }
            return [total / counted];
        }, logits);
    }

    [Theory]
    [MemberData(nameof(TestDevices.Both), MemberType = typeof(TestDevices))]
    public void Add_and_scale(string device)
    {
        using Tensor a = GradientCheck.Random(6, 2, 3), b = GradientCheck.Random(7, 2, 3);
        GradientCheck.CheckOn(device, t => Ops.Add(Ops.Scale(t[0], 3f), t[1]), p => p[0].Zip(p[1], (x, y) => 3 * x + y).ToArray(), a, b);
    }

    [Theory]
    [MemberData(nameof(TestDevices.Both), MemberType = typeof(TestDevices))]
    public void Sum_and_mean(string device)
    {
        using Tensor c = GradientCheck.Random(8, 5);
        GradientCheck.CheckOn(device, t => Ops.Sum(t[0]), p => [p[0].Sum()], c);
        using Tensor d = GradientCheck.Random(9, 37);
        GradientCheck.CheckOn(device, t => Ops.Mean(t[0]), p => [p[0].Average()], d);
    }

    [Theory]
    [MemberData(nameof(TestDevices.Both), MemberType = typeof(TestDevices))]
    public void Dropout_scales_kept_elements_and_masks_their_gradients_the_same_way(string device)
    {
        const float p = 0.3f;
        const uint seed = 1234;
        // The mask, read off a forward pass over ones.
        using Tensor ones = Tensor.Full(1f, 50);
        float[] mask = Ops.Dropout(ones, p, seed).ToArray();
        Autograd.Graph.Current.Release();
        Assert.Contains(0f, mask);
        Assert.Contains(1f / (1f - p), mask);
        using Tensor x = GradientCheck.Random(10, 50);
        GradientCheck.CheckOn(device, t => Ops.Dropout(t[0], p, seed), q => q[0].Select((v, i) => v * mask[i]).ToArray(), x);
    }

    [Fact]
    public void Dropout_of_rows_placed_in_a_larger_tensor_takes_their_masks_forward_and_backward()
    {
        const float p = 0.3f;
        const uint seed = 99;
        // Rows of 13 (no whole number of vectors) of a tensor of 6 rows; this one holds rows 4 and 1, in that order.
        using Tensor ones = Tensor.Full(1f, 6, 13);
        float[] whole = Ops.Dropout(ones, p, seed).ToArray();
        Autograd.Graph.Current.Release();
        float[] expected = [.. whole.AsSpan(4 * 13, 13), .. whole.AsSpan(13, 13)];
        using Tensor x = GradientCheck.Random(12, 2, 13);
        GradientCheck.CheckOn("cpu", t => Ops.Dropout(t[0], p, seed, [4, 1]), q => q[0].Select((v, i) => v * expected[i]).ToArray(), x);
    }

    private static void Unary(string device, Func<Tensor, Tensor> op, Func<double, double> reference)
    {
        using Tensor x = GradientCheck.Random(11, 3, 5);
        // Keep ReLU's kink away from the finite-difference step.
        for (int i = 0; i < x.Count; i++)
            if (Math.Abs(x.AsSpan()[i]) < 1e-3f) x.AsSpan()[i] = 0.5f;
        GradientCheck.CheckOn(device, t => op(t[0]), p => Map(p[0], reference), x);
    }

    private static void Rows(string device, Func<Tensor, Tensor> op, Func<double[], double[]> reference)
    {
        const int rows = 3, columns = 6;
        using Tensor x = GradientCheck.Random(12, rows, columns);
        GradientCheck.CheckOn(device, t => op(t[0]), p => Enumerable.Range(0, rows).SelectMany(r => reference(p[0].Skip(r * columns).Take(columns).ToArray())).ToArray(), x);
    }
}
