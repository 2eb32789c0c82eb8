namespace EmbedEngine.Tensors.Modules;

/// <summary>Parameter initializations.</summary>
public static class Initialization
{
    /// <summary>Values uniform in [−bound, bound), from a seeded generator so runs repeat.</summary>
    public static Tensor Uniform(float bound, Random random, params ReadOnlySpan<int> sizes)
    {
        Tensor tensor = Tensor.Zeros(sizes);
        Span<float> values = tensor.AsSpan();
        for (int i = 0; i < values.Length; i++) values[i] = (float)((random.NextDouble() * 2 - 1) * bound);
        return tensor;
    }
}
