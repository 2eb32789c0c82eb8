namespace EmbedEngine.Kernels;

/// <summary>x ← a·x.</summary>
public static class ScaleKernel
{
    /// <summary>x ← a·x with the variant chosen at start-up.</summary>
    public static void Scale(float a, Span<float> x) => Scalar(a, x);

    /// <summary>Reference.</summary>
    public static void Scalar(float a, Span<float> x)
    {
        for (int i = 0; i < x.Length; i++) x[i] *= a;
    }
}
