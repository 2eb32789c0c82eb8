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
