using EmbedEngine.Tensors.IO;

namespace EmbedEngine.Cli.Tests;

/// <summary>The weights of a model trained by N ranks against those one process trained with the same global batches.</summary>
internal static class SavedWeights
{
    /// <summary>
    /// Asserts that the safetensors file <paramref name="actual"/> holds the tensors of <paramref name="expected"/>, each
    /// element within 1e-4: the batch's gradient summed in another order across ranks is float rounding, nothing more.
    /// An attention's key biases are not compared: their gradient is zero but for rounding (softmax ignores a shift
    /// that all of a query's scores share), and Adam scales that rounding up to steps of the learning rate, so they
    /// drift by noise in either run without changing what the model computes.
    /// </summary>
    public static void AssertMatch(string expected, string actual)
    {
        using SafetensorsContents a = SafetensorsFile.Load(expected), b = SafetensorsFile.Load(actual);
        Assert.Equal(a.Tensors.Count, b.Tensors.Count);
        foreach (var (name, tensor) in a.Tensors)
        {
            float[] x = tensor.ToArray(), y = b[name].ToArray();
            Assert.Equal(x.Length, y.Length);
            // The fused query-key-value bias: queries, keys, then values, a third each.
            (int keysFrom, int keysTo) = name.EndsWith("attention.qkv.bias", StringComparison.Ordinal) ? (x.Length / 3, 2 * x.Length / 3) : (0, 0);
            for (int i = 0; i < x.Length; i++)
                if (i < keysFrom || i >= keysTo) Assert.True(Math.Abs(x[i] - y[i]) <= 1e-4f, $"{name}[{i}]: {x[i]} against {y[i]}");
        }
    }
}
