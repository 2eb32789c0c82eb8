using EmbedEngine.Kernels.Gemm;

namespace EmbedEngine.Evaluation.Multimodal;

/// <summary>
/// A trained linear probe: the training split's standardization, then logits x'·W + b and the argmax class (ties to
/// the lower class index). Made by <see cref="LinearProbe.Train"/>.
/// </summary>
public sealed class LinearProbeModel
{
    private readonly FeatureStandardizer _standardizer;

    internal LinearProbeModel(FeatureStandardizer standardizer, float[] weights, float[] bias, LbfgsResult fit, double l2)
    {
        _standardizer = standardizer;
        (Weights, Bias, L2) = (weights, bias, l2);
        (Iterations, Loss, GradientNorm, Converged) = (fit.Iterations, fit.Loss, fit.GradientNorm, fit.Converged);
    }

    /// <summary>d, the feature dimension.</summary>
    public int Dimension => _standardizer.Mean.Length;

    /// <summary>C, the number of classes.</summary>
    public int Classes => Bias.Length;

    /// <summary>W, d × C row-major, acting on standardized features.</summary>
    public float[] Weights { get; }

    /// <summary>b, one per class.</summary>
    public float[] Bias { get; }

    /// <summary>The training split's mean per feature, subtracted before <see cref="Weights"/> apply.</summary>
    public IReadOnlyList<float> FeatureMean => _standardizer.Mean;

    /// <summary>The training split's standard deviation per feature (1 for a constant feature), divided by after centring.</summary>
    public IReadOnlyList<float> FeatureDeviation => _standardizer.Deviation;

    /// <summary>λ, the L2 penalty the weights were trained with.</summary>
    public double L2 { get; }

    /// <summary>L-BFGS steps taken.</summary>
    public int Iterations { get; }

    /// <summary>The training loss at the end: mean cross-entropy + (λ/2)‖W‖².</summary>
    public double Loss { get; }

    /// <summary>The largest component of the loss gradient at the end.</summary>
    public double GradientNorm { get; }

    /// <summary>Whether <see cref="GradientNorm"/> reached the tolerance (rather than the step limit or a stalled line search).</summary>
    public bool Converged { get; }

    /// <summary>The predicted class of every row of <paramref name="features"/>.</summary>
    /// <exception cref="ArgumentException">The features are empty, not finite, or of another dimension.</exception>
    public int[] Predict(EmbeddingMatrix features)
    {
        MultimodalChecks.NonEmptyFinite(features, nameof(features));
        if (features.Dimension != Dimension)
            throw new ArgumentException($"'{nameof(features)}' has dimension {features.Dimension}; the probe was trained on {Dimension}.",
                nameof(features));
        int n = features.Rows, c = Classes;
        float[] standardized = _standardizer.Apply(features);
        var logits = new float[n * c];
        SgemmKernel.Multiply(false, false, n, c, Dimension, 1f, standardized, Dimension, Weights, c, 0f, logits, c);
        var predictions = new int[n];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> row = logits.AsSpan(i * c, c);
            int best = 0;
            for (int j = 1; j < c; j++)
                if (row[j] + Bias[j] > row[best] + Bias[best]) best = j;
            predictions[i] = best;
        }
        return predictions;
    }

    /// <summary>The share of rows of <paramref name="features"/> predicted as <paramref name="labels"/> says.</summary>
    /// <exception cref="ArgumentException">As <see cref="Predict"/>, or the labels do not match the rows.</exception>
    public double Accuracy(EmbeddingMatrix features, ReadOnlySpan<int> labels)
    {
        MultimodalChecks.Labels(labels, features.Rows, int.MaxValue, nameof(labels));
        int[] predictions = Predict(features);
        int correct = 0;
        for (int i = 0; i < predictions.Length; i++)
            if (predictions[i] == labels[i]) correct++;
        return (double)correct / predictions.Length;
    }
}
