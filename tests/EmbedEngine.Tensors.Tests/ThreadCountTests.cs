namespace EmbedEngine.Tensors.Tests;

/// <summary>
/// The element-wise and row-wise operations split large tensors over <see cref="TensorSettings.Threads"/>: one and
/// two threads must give the same values and gradients, bit for bit.
/// </summary>
public class ThreadCountTests
{
    public static TheoryData<string> Operations() => ["gelu", "tanh", "sigmoid", "relu", "softmax", "logsoftmax"];

    [Theory]
    [MemberData(nameof(Operations))]
    public void One_and_two_threads_give_the_same_values_and_gradients(string operation)
    {
        (float[] values, float[] gradient) one = Run(operation, threads: 1), two = Run(operation, threads: 2);
        Assert.Equal(one.values, two.values);
        Assert.Equal(one.gradient, two.gradient);
    }

    /// <summary>dγ and dβ sum over rows in fixed blocks, so they too are the same bits on one and two threads.</summary>
    [Fact]
    public void Layer_norm_gives_the_same_values_and_gradients_on_one_and_two_threads()
    {
        (float[] Values, float[] Dx, float[] DGamma, float[] DBeta) Run(int threads)
        {
            int saved = TensorSettings.Threads;
            TensorSettings.Threads = threads;
            try
            {
                using Tensor x = GradientCheck.Random(33, 300, 131), gamma = GradientCheck.Random(34, 131), beta = GradientCheck.Random(35, 131);
                x.RequiresGrad = gamma.RequiresGrad = beta.RequiresGrad = true;
                Tensor y = Ops.LayerNorm(x, gamma, beta);
                float[] values = y.ToArray();
                using Tensor weights = GradientCheck.Random(36, 300, 131);
                y.Backward(weights);
                return (values, x.Grad!.ToArray(), gamma.Grad!.ToArray(), beta.Grad!.ToArray());
            }
            finally
            {
                TensorSettings.Threads = saved;
            }
        }

        var one = Run(1);
        var two = Run(2);
        Assert.Equal(one.Values, two.Values);
        Assert.Equal(one.Dx, two.Dx);
        Assert.Equal(one.DGamma, two.DGamma);
        Assert.Equal(one.DBeta, two.DBeta);
    }

    /// <summary>300 × 131 floats: past the size where the kernels split, with rows and blocks that do not divide evenly.</summary>
    private static (float[] Values, float[] Gradient) Run(string operation, int threads)
    {
        int saved = TensorSettings.Threads;
        TensorSettings.Threads = threads;
        try
        {
            using Tensor x = GradientCheck.Random(31, 300, 131);
            x.RequiresGrad = true;
            Tensor y = operation switch
            {
                "gelu" => Ops.Gelu(x),
                "tanh" => Ops.Tanh(x),
                "sigmoid" => Ops.Sigmoid(x),
                "relu" => Ops.Relu(x),
                "softmax" => Ops.Softmax(x),
                _ => Ops.LogSoftmax(x),
            };
            float[] values = y.ToArray();
            using Tensor weights = GradientCheck.Random(32, 300, 131);
            y.Backward(weights);
            return (values, x.Grad!.ToArray());
        }
        finally
        {
            TensorSettings.Threads = saved;
        }
    }
}
