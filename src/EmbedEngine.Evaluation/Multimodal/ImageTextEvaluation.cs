using EmbedEngine.Models.Multimodal;

namespace EmbedEngine.Evaluation.Multimodal;

/// <summary>The three evaluations of an image–text model on one test split.</summary>
/// <param name="ZeroShot">Classes predicted from prompt embeddings.</param>
/// <param name="Retrieval">Image↔caption Recall@K over the test pairs.</param>
/// <param name="Probe">Logistic regression on the frozen image embeddings.</param>
public sealed record ImageTextReport(ZeroShotReport ZeroShot, RetrievalReport Retrieval, LinearProbeReport Probe);

/// <summary>
/// Zero-shot classification, cross-modal retrieval and a linear probe for any <see cref="IImageTextModel"/>: the
/// model only embeds; the evaluations work on its embedding matrices, so every image–text model is measured alike.
/// </summary>
public static class ImageTextEvaluation
{
    /// <summary>All three on <paramref name="test"/>; the probe trains on <paramref name="training"/>'s images.</summary>
    /// <param name="model">The model.</param>
    /// <param name="training">The probe's training split.</param>
    /// <param name="test">The evaluated split: images, labels and one caption per image.</param>
    /// <param name="promptsByClass">For each class, the prompts whose embeddings are averaged into the class's.</param>
    public static ImageTextReport Evaluate(IImageTextModel model, CaptionedDigits training, CaptionedDigits test,
        IReadOnlyList<IReadOnlyList<string>> promptsByClass)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(test);
        EmbeddingMatrix testImages = Images(model, test);
        return new ImageTextReport(
            ZeroShotClassifier.Evaluate(testImages, ClassEmbeddings(model, promptsByClass), Labels(test)),
            CrossModalRetrieval.Evaluate(testImages, Texts(model, test.Captions)),
            LinearProbe.Evaluate(Images(model, training), Labels(training), testImages, Labels(test)));
    }

    /// <summary>Zero-shot classification of <paramref name="test"/>'s images alone.</summary>
    public static ZeroShotReport ZeroShot(IImageTextModel model, CaptionedDigits test, IReadOnlyList<IReadOnlyList<string>> promptsByClass)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(test);
        return ZeroShotClassifier.Evaluate(Images(model, test), ClassEmbeddings(model, promptsByClass), Labels(test));
    }

    /// <summary>One row per class: the average of its prompts' normalized embeddings, renormalized.</summary>
    public static EmbeddingMatrix ClassEmbeddings(IImageTextModel model, IReadOnlyList<IReadOnlyList<string>> promptsByClass)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(promptsByClass);
        if (promptsByClass.Count == 0 || promptsByClass.Any(p => p.Count == 0))
            throw new ArgumentException("Every class needs at least one prompt.", nameof(promptsByClass));
        return ZeroShotClassifier.AveragePrompts([.. promptsByClass.Select(p => Texts(model, p))]);
    }

    /// <summary>The embeddings of every image of <paramref name="split"/>.</summary>
    public static EmbeddingMatrix Images(IImageTextModel model, CaptionedDigits split)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(split);
        return new EmbeddingMatrix(model.EmbedImages(split.Images), split.Count, model.EmbeddingDimension);
    }

    /// <summary>The embeddings of <paramref name="texts"/>.</summary>
    public static EmbeddingMatrix Texts(IImageTextModel model, IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(texts);
        return new EmbeddingMatrix(model.EmbedTexts(texts), texts.Count, model.EmbeddingDimension);
    }

    private static int[] Labels(CaptionedDigits split) => [.. split.Labels.Select(l => (int)l)];
}
