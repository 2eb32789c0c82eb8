namespace EmbedEngine.Evaluation.Multimodal;

/// <summary>
/// Per-feature standardization, fitted on the training split and applied unchanged to any other: x' = (x − μ) / σ with
/// the population standard deviation σ (as scikit-learn's StandardScaler). A constant feature keeps σ = 1, so it becomes
/// 0 instead of a division by zero.
/// </summary>
internal sealed class FeatureStandardizer
{
    private FeatureStandardizer(float[] mean, float[] deviation) => (Mean, Deviation) = (mean, deviation);

    /// <summary>μ per feature.</summary>
    public float[] Mean { get; }

    /// <summary>σ per feature (1 where the feature is constant).</summary>
    public float[] Deviation { get; }

    public static FeatureStandardizer Fit(EmbeddingMatrix features)
    {
        int n = features.Rows, d = features.Dimension;
        var sum = new double[d];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> row = features.Row(i);
            for (int j = 0; j < d; j++) sum[j] += row[j];
        }
        var mean = new float[d];
        var squares = new double[d];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> row = features.Row(i);
            for (int j = 0; j < d; j++)
            {
                double centred = row[j] - sum[j] / n;
                squares[j] += centred * centred;
            }
        }
        var deviation = new float[d];
        for (int j = 0; j < d; j++)
        {
            mean[j] = (float)(sum[j] / n);
            double sigma = Math.Sqrt(squares[j] / n);
            deviation[j] = sigma > 0 ? (float)sigma : 1f;
        }
        return new FeatureStandardizer(mean, deviation);
    }

    /// <summary>A standardized copy of <paramref name="features"/>, row-major like the input.</summary>
    public float[] Apply(EmbeddingMatrix features)
    {
        int n = features.Rows, d = features.Dimension;
        var result = new float[features.Data.Length];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> row = features.Row(i);
            Span<float> target = result.AsSpan(i * d, d);
            for (int j = 0; j < d; j++) target[j] = (row[j] - Mean[j]) / Deviation[j];
        }
        return result;
    }
}
