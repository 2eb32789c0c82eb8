namespace EmbedEngine.Kernels.Gemm;

/// <summary>
/// What a product does to C as it writes it for the last time: adds a bias to every row (one value per column), then
/// applies max(0, ·). A linear layer and its ReLU then make one pass over their output instead of three, as ONNX
/// Runtime's fused Gemm does. <c>default</c> does neither.
/// </summary>
/// <param name="bias">N floats added to every row of C, or null.</param>
/// <param name="relu">Whether C ends as max(0, ·).</param>
public readonly unsafe struct GemmEpilogue(float* bias, bool relu)
{
    /// <summary>N floats added to every row of C (one per column), or null for none.</summary>
    public float* Bias { get; } = bias;

    /// <summary>Whether C ends as max(0, ·); a NaN stays NaN.</summary>
    public bool Relu { get; } = relu;

    /// <summary>The epilogue of the stripe of C that starts <paramref name="columns"/> columns further right.</summary>
    internal GemmEpilogue From(int columns) => Bias == null ? this : new(Bias + columns, Relu);

    /// <summary>C[i, j] ← max(0, C[i, j] + bias[j]) as asked, the whole epilogue on an m × n C already written.</summary>
    internal void ApplyTo(float* c, int m, int n, nint ldc)
    {
        if (Bias == null && !Relu) return;
        for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
            c[i * ldc + j] = Finish(c[i * ldc + j], j);
    }

    /// <summary>One element of C's final value: plus column <paramref name="j"/>'s bias, then the ReLU.</summary>
    internal float Finish(float value, int j)
    {
        if (Bias != null) value += Bias[j];
        return Relu && value < 0f ? 0f : value;
    }
}
