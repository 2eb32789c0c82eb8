namespace EmbedEngine.Evaluation.Multimodal;

public static partial class ZeroShotClassifier
{
    /// <summary>
    /// One embedding per class from a prompt ensemble, as CLIP's zero-shot notebook does it: each prompt embedding is
    /// L2-normalized, the class's prompts are averaged and the mean is normalized again (a mean of zero stays zero).
    /// </summary>
    /// <param name="prompts">C·P rows, class-major: rows c·P … c·P + P − 1 are the prompts of class c.</param>
    /// <param name="promptsPerClass">P, the number of prompts per class.</param>
    /// <returns>C unit rows.</returns>
    /// <exception cref="ArgumentException">The matrix is empty or not finite, or its rows are not a whole number of classes.</exception>
    public static EmbeddingMatrix AveragePrompts(EmbeddingMatrix prompts, int promptsPerClass)
    {
        MultimodalChecks.NonEmptyFinite(prompts, nameof(prompts));
        if (promptsPerClass <= 0)
            throw new ArgumentException($"The number of prompts per class must be positive, not {promptsPerClass}.", nameof(promptsPerClass));
        if (prompts.Rows % promptsPerClass != 0)
            throw new ArgumentException(
                $"'{nameof(prompts)}' has {prompts.Rows} rows, not a whole number of classes of {promptsPerClass} prompts.", nameof(prompts));
        int classes = prompts.Rows / promptsPerClass, d = prompts.Dimension;
        float[] unit = CosineScores.Normalized(prompts);
        var means = new float[classes * d];
        for (int c = 0; c < classes; c++)
            Mean(unit.AsSpan(c * promptsPerClass * d, promptsPerClass * d), d, means.AsSpan(c * d, d));
        return Renormalized(means, classes, d);
    }

    /// <summary>As <see cref="AveragePrompts(EmbeddingMatrix, int)"/>, with the prompts of each class in a matrix of its own
    /// (classes may have different numbers of prompts).</summary>
    /// <param name="promptsByClass">Element c holds the prompt embeddings of class c.</param>
    /// <returns>One unit row per class.</returns>
    /// <exception cref="ArgumentException">There are no classes, a class has no prompts, or the dimensions differ.</exception>
    public static EmbeddingMatrix AveragePrompts(IReadOnlyList<EmbeddingMatrix> promptsByClass)
    {
        ArgumentNullException.ThrowIfNull(promptsByClass);
        if (promptsByClass.Count == 0) throw new ArgumentException("There are no classes.", nameof(promptsByClass));
        int classes = promptsByClass.Count, d = promptsByClass[0].Dimension;
        var means = new float[classes * d];
        for (int c = 0; c < classes; c++)
        {
            EmbeddingMatrix prompts = promptsByClass[c];
            string name = $"{nameof(promptsByClass)}[{c}]";
            MultimodalChecks.NonEmptyFinite(prompts, name);
            MultimodalChecks.SameDimension(promptsByClass[0], $"{nameof(promptsByClass)}[0]", prompts, name);
            Mean(CosineScores.Normalized(prompts), d, means.AsSpan(c * d, d));
        }
        return Renormalized(means, classes, d);
    }

    private static void Mean(ReadOnlySpan<float> unitRows, int d, Span<float> mean)
    {
        int count = unitRows.Length / d;
        for (int j = 0; j < d; j++)
        {
            double sum = 0;
            for (int p = 0; p < count; p++) sum += unitRows[p * d + j];
            mean[j] = (float)(sum / count);
        }
    }

    private static EmbeddingMatrix Renormalized(float[] means, int classes, int d) =>
        new(CosineScores.Normalized(new EmbeddingMatrix(means, classes, d)), classes, d);
}
