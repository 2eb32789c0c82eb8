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

    /// <summary>
    /// Overwrites <paramref name="tensor"/> with normal values of mean 0 and deviation <paramref name="std"/> (GPT-2's
    /// N(0, 0.02)), by the Box–Muller transform of a seeded generator, so runs repeat.
    /// </summary>
    public static void FillNormal(Tensor tensor, float std, Random random)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(random);
        Span<float> values = tensor.AsSpan();
        for (int i = 0; i < values.Length; i += 2)
        {
            double radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())), angle = 2 * Math.PI * random.NextDouble();
            values[i] = (float)(std * radius * Math.Cos(angle));
            if (i + 1 < values.Length) values[i + 1] = (float)(std * radius * Math.Sin(angle));
        }
    }
}
