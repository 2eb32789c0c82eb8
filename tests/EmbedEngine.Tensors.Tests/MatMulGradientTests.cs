using EmbedEngine.Tensors;

namespace EmbedEngine.Tensors.Tests;

/// <summary>Products and the linear layer against finite differences, on the CPU and the GPU device.</summary>
public class MatMulGradientTests
{
    public static TheoryData<string, int, int, int> Shapes()
    {
        var data = new TheoryData<string, int, int, int>();
        foreach (string device in TestDevices.Both)
            foreach ((int m, int k, int n) in new[] { (3, 5, 4), (1, 7, 2), (6, 1, 9) }) data.Add(device, m, k, n);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatMul_gradients_match_finite_differences(string device, int m, int k, int n)
    {
        using Tensor a = GradientCheck.Random(1, m, k), b = GradientCheck.Random(2, k, n);
        GradientCheck.CheckOn(device, x => Ops.MatMul(x[0], x[1]), p => Reference.MatMul(p[0], p[1], m, k, n), a, b);
    }

    [Theory]
    [MemberData(nameof(TestDevices.Both), MemberType = typeof(TestDevices))]
    public void MatMul_reads_transposed_views_in_place_and_sends_their_gradients_back(string device)
    {
        // a is stored [k, m] and b [n, k]; the products use their transposes.
        const int m = 4, k = 3, n = 5;
        using Tensor a = GradientCheck.Random(3, k, m), b = GradientCheck.Random(4, n, k);
        GradientCheck.CheckOn(device, x => Ops.MatMul(x[0].Transpose(0, 1), x[1].Transpose(0, 1)),
            p => Reference.MatMul(Reference.Transpose(p[0], k, m), Reference.Transpose(p[1], n, k), m, k, n), a, b);
    }

    [Theory]
    [MemberData(nameof(TestDevices.Both), MemberType = typeof(TestDevices))]
    public void Batched_MatMul_gradients_match_finite_differences(string device)
    {
        const int batch = 3, m = 2, k = 4, n = 3;
        using Tensor a = GradientCheck.Random(5, batch, m, k), b = GradientCheck.Random(6, batch, k, n);
        GradientCheck.CheckOn(device, x => Ops.MatMul(x[0], x[1]), p =>
        {
            var c = new List<double>();
            for (int i = 0; i < batch; i++)
                c.AddRange(Reference.MatMul(p[0].Skip(i * m * k).Take(m * k).ToArray(), p[1].Skip(i * k * n).Take(k * n).ToArray(), m, k, n));
            return c.ToArray();
        }, a, b);
    }

    [Theory]
    [MemberData(nameof(TestDevices.Both), MemberType = typeof(TestDevices))]
    public void A_shared_right_matrix_applies_to_every_leading_index(string device)
    {
        const int batch = 2, m = 3, k = 4, n = 2;
        using Tensor a = GradientCheck.Random(7, batch, m, k), b = GradientCheck.Random(8, k, n);
        GradientCheck.CheckOn(device, x => Ops.MatMul(x[0], x[1]), p => Reference.MatMul(p[0], p[1], batch * m, k, n), a, b);
    }

    public static TheoryData<string, bool> LinearCases()
    {
        var data = new TheoryData<string, bool>();
        foreach (string device in TestDevices.Both)
        {
            data.Add(device, false);
            data.Add(device, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(LinearCases))]
    public void Linear_gradients_match_finite_differences_for_input_weight_and_bias(string device, bool relu)
    {
        const int rows = 5, inputs = 4, outputs = 3;
        using Tensor x = GradientCheck.Random(9, rows, inputs), w = GradientCheck.Random(10, outputs, inputs), b = GradientCheck.Random(11, outputs);
        GradientCheck.CheckOn(device, t => relu ? Ops.LinearRelu(t[0], t[1], t[2]) : Ops.Linear(t[0], t[1], t[2]), p =>
        {
            double[] y = Reference.MatMul(p[0], Reference.Transpose(p[1], outputs, inputs), rows, inputs, outputs);
            for (int r = 0; r < rows; r++)
                for (int o = 0; o < outputs; o++)
                {
                    double z = y[r * outputs + o] + p[2][o];
                    y[r * outputs + o] = relu ? Math.Max(0, z) : z;
                }
            return y;
        }, x, w, b);
    }

    [Fact]
    public void Mismatched_inner_sizes_are_refused_with_both_shapes()
    {
        using Tensor a = Tensor.Zeros(2, 3), b = Tensor.Zeros(4, 2);
        var error = Assert.Throws<ArgumentException>(() => Ops.MatMul(a, b));
        Assert.Contains("[2, 3]·[4, 2]", error.Message, StringComparison.Ordinal);
    }
}
