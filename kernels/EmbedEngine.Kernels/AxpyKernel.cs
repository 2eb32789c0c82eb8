namespace EmbedEngine.Kernels;

/// <summary>y ← a·x + y.</summary>
public static class AxpyKernel
{
    /// <summary>y ← a·x + y with the variant chosen at start-up.</summary>
    public static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y) => Scalar(a, x, y);

    /// <summary>Reference.</summary>
    public static void Scalar(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"Vector lengths differ: {x.Length} and {y.Length}.");
        for (int i = 0; i < x.Length; i++) y[i] += a * x[i];
    }
}
