namespace EmbedEngine.Evaluation.Multimodal;

/// <summary>
/// Zero-shot classification as CLIP does it: each image takes the class whose text embedding is closest in cosine.
/// The class embeddings are one row per class; a prompt ensemble ("a photo of a {c}", "a drawing of a {c}", ...) is
/// first reduced to one row per class by <see cref="AveragePrompts(EmbeddingMatrix, int)"/>.
/// </summary>
public static partial class ZeroShotClassifier
{
    /// <summary>
    /// The predicted class of every image: argmax over classes of cos(image, class), ties to the lower class index
    /// (so an all-zero image, which scores 0 against every class, gets class 0).
    /// </summary>
    /// <param name="images">Image embeddings, N × d.</param>
    /// <param name="classes">Class text embeddings, C × d, one row per class.</param>
    /// <exception cref="ArgumentException">A matrix is empty or not finite, or the dimensions differ.</exception>
    public static int[] Predict(EmbeddingMatrix images, EmbeddingMatrix classes)
    {
        Check(images, classes);
        return PredictChecked(images, classes, CosineScores.DefaultBlockRows);
    }

    /// <summary>Classifies every image (<see cref="Predict"/>) and scores the predictions against <paramref name="labels"/>.</summary>
    /// <param name="images">Image embeddings, N × d.</param>
    /// <param name="classes">Class text embeddings, C × d, one row per class.</param>
    /// <param name="labels">The true class of each image, N labels in [0, C).</param>
    /// <exception cref="ArgumentException">A matrix is empty or not finite, the dimensions differ, or a label is missing or out of range.</exception>
    public static ZeroShotReport Evaluate(EmbeddingMatrix images, EmbeddingMatrix classes, ReadOnlySpan<int> labels)
    {
        Check(images, classes);
        MultimodalChecks.Labels(labels, images.Rows, classes.Rows, nameof(labels));
        int[] predictions = PredictChecked(images, classes, CosineScores.DefaultBlockRows);
        var classCorrect = new int[classes.Rows];
        var classCount = new int[classes.Rows];
        int correct = 0;
        for (int i = 0; i < predictions.Length; i++)
        {
            classCount[labels[i]]++;
            if (predictions[i] != labels[i]) continue;
            classCorrect[labels[i]]++;
            correct++;
        }
        return new ZeroShotReport(correct, predictions.Length, classCorrect, classCount, predictions);
    }

    internal static int[] PredictChecked(EmbeddingMatrix images, EmbeddingMatrix classes, int blockRows)
    {
        int n = images.Rows, c = classes.Rows, d = images.Dimension;
        float[] classUnit = CosineScores.Normalized(classes);
        float[] imageUnit = CosineScores.Normalized(images);
        var scores = new float[Math.Min(blockRows, n) * c];
        var predictions = new int[n];
        for (int start = 0; start < n; start += blockRows)
        {
            int rows = Math.Min(blockRows, n - start);
            CosineScores.Block(imageUnit.AsSpan(start * d, rows * d), classUnit, c, d, scores);
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<float> row = scores.AsSpan(r * c, c);
                int best = 0;
                for (int j = 1; j < c; j++)
                    if (row[j] > row[best]) best = j;
                predictions[start + r] = best;
            }
        }
        return predictions;
    }

    private static void Check(EmbeddingMatrix images, EmbeddingMatrix classes)
    {
        MultimodalChecks.NonEmptyFinite(images, nameof(images));
        MultimodalChecks.NonEmptyFinite(classes, nameof(classes));
        MultimodalChecks.SameDimension(images, nameof(images), classes, nameof(classes));
    }
}
