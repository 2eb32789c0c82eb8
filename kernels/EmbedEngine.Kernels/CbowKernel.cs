namespace EmbedEngine.Kernels;

/// <summary>CBOW's hidden layer: the average of the context rows, and the gradient scattered back to them.</summary>
public static unsafe class CbowKernel
{
    /// <summary>average ← mean of the rows <paramref name="rows"/> of <paramref name="input"/>.</summary>
    public static void Average(float* input, nint stride, ReadOnlySpan<int> rows, Span<float> average)
        => AverageScalar(input, stride, rows, average);

    /// <summary>Adds <paramref name="grad"/> to each row in <paramref name="rows"/> (word2vec.c does not divide by the count).</summary>
    public static void Scatter(float* input, nint stride, ReadOnlySpan<int> rows, ReadOnlySpan<float> grad)
        => ScatterScalar(input, stride, rows, grad);

    /// <summary>Reference for <see cref="Average"/>.</summary>
    public static void AverageScalar(float* input, nint stride, ReadOnlySpan<int> rows, Span<float> average)
    {
        if (rows.IsEmpty) throw new ArgumentException("CBOW needs at least one context row.", nameof(rows));
        average.Clear();
        foreach (int r in rows)
        {
            float* row = input + r * stride;
            for (int c = 0; c < average.Length; c++) average[c] += row[c];
        }
        float inverse = 1f / rows.Length;
        for (int c = 0; c < average.Length; c++) average[c] *= inverse;
    }

    /// <summary>Reference for <see cref="Scatter"/>.</summary>
    public static void ScatterScalar(float* input, nint stride, ReadOnlySpan<int> rows, ReadOnlySpan<float> grad)
    {
        foreach (int r in rows)
        {
            float* row = input + r * stride;
            for (int c = 0; c < grad.Length; c++) row[c] += grad[c];
        }
    }
}
