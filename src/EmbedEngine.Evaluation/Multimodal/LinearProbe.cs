namespace EmbedEngine.Evaluation.Multimodal;

/// <summary>
/// The linear probe of representation learning (as in the CLIP paper): multinomial logistic regression on frozen
/// embeddings, standardized by the training split's mean and deviation, fitted full-batch by L-BFGS from zero
/// weights. There is no randomness: the same inputs give the same model.
/// </summary>
public static class LinearProbe
{
    /// <summary>Trains a probe on <paramref name="features"/>.</summary>
    /// <param name="features">Training embeddings, N × d.</param>
    /// <param name="labels">Their classes, N labels in [0, <paramref name="classes"/>).</param>
    /// <param name="classes">C, the number of classes (a class with no training rows gets only a low bias).</param>
    /// <param name="options">Penalty and stopping rule; default <see cref="LinearProbeOptions"/>' defaults.</param>
    /// <exception cref="ArgumentException">The features are empty or not finite, a label is missing or out of range, or an option is out of range.</exception>
    public static LinearProbeModel Train(EmbeddingMatrix features, ReadOnlySpan<int> labels, int classes, LinearProbeOptions? options = null)
    {
        options ??= new LinearProbeOptions();
        options.Check();
        MultimodalChecks.NonEmptyFinite(features, nameof(features));
        if (classes < 1) throw new ArgumentException($"There must be at least one class, not {classes}.", nameof(classes));
        MultimodalChecks.Labels(labels, features.Rows, classes, nameof(labels));

        var standardizer = FeatureStandardizer.Fit(features);
        var objective = new SoftmaxRegressionObjective(standardizer.Apply(features), features.Rows, features.Dimension,
            labels.ToArray(), classes, options.L2);
        var parameters = new double[objective.ParameterCount];
        LbfgsResult fit = Lbfgs.Minimize(objective.Evaluate, parameters, options.MaxIterations, options.GradientTolerance, options.History);

        int weightCount = features.Dimension * classes;
        var weights = new float[weightCount];
        var bias = new float[classes];
        for (int i = 0; i < weightCount; i++) weights[i] = (float)parameters[i];
        for (int j = 0; j < classes; j++) bias[j] = (float)parameters[weightCount + j];
        return new LinearProbeModel(standardizer, weights, bias, fit, options.L2);
    }

    /// <summary>
    /// Trains a probe on the training split and scores it on both splits. The classes are 0 … the largest label of
    /// either split.
    /// </summary>
    /// <param name="train">Training embeddings, N × d.</param>
    /// <param name="trainLabels">Their classes, non-negative.</param>
    /// <param name="test">Test embeddings, M × d.</param>
    /// <param name="testLabels">Their classes, non-negative.</param>
    /// <param name="options">Penalty and stopping rule; default <see cref="LinearProbeOptions"/>' defaults.</param>
    /// <exception cref="ArgumentException">A split is empty or not finite, the dimensions differ, a label is missing or negative, or an option is out of range.</exception>
    public static LinearProbeReport Evaluate(EmbeddingMatrix train, ReadOnlySpan<int> trainLabels, EmbeddingMatrix test,
        ReadOnlySpan<int> testLabels, LinearProbeOptions? options = null)
    {
        MultimodalChecks.NonEmptyFinite(train, nameof(train));
        MultimodalChecks.NonEmptyFinite(test, nameof(test));
        MultimodalChecks.SameDimension(train, nameof(train), test, nameof(test));
        MultimodalChecks.Labels(trainLabels, train.Rows, int.MaxValue, nameof(trainLabels));
        MultimodalChecks.Labels(testLabels, test.Rows, int.MaxValue, nameof(testLabels));
        int classes = 1 + Math.Max(Max(trainLabels), Max(testLabels));
        LinearProbeModel model = Train(train, trainLabels, classes, options);
        return new LinearProbeReport(model.Accuracy(train, trainLabels), model.Accuracy(test, testLabels), model.Iterations,
            model.Loss, model.Converged, classes, train.Dimension, model.L2);
    }

    private static int Max(ReadOnlySpan<int> labels)
    {
        int max = 0;
        foreach (int label in labels) max = Math.Max(max, label);
        return max;
    }
}
