using EmbedEngine.Evaluation.Multimodal;
using EmbedEngine.Models.Mlp;
using EmbedEngine.Models.Multimodal;

namespace EmbedEngine.Evaluation.Tests.Multimodal;

public sealed class ImageTextEvaluationTests
{
    private const int Dimension = 4;

    /// <summary>
    /// An image–text model with hand-set embeddings. An image is two pixels; the first is the class it looks like, and
    /// it embeds as that axis. A text embeds as the axis of the first class word it holds (zero, one, two; axis 3 for
    /// none), scaled by its number of words, so only a cosine-based evaluation scores it right.
    /// </summary>
    private sealed class HandSetModel : IImageTextModel
    {
        public List<string> EmbeddedTexts { get; } = [];

        public int EmbeddingDimension => Dimension;

        public float[] EmbedImages(IdxImages images)
        {
            var embeddings = new float[images.Count * Dimension];
            for (int i = 0; i < images.Count; i++) embeddings[i * Dimension + images.Pixels[i * images.PixelsPerImage]] = 1f;
            return embeddings;
        }

        public float[] EmbedTexts(IReadOnlyList<string> texts)
        {
            var embeddings = new float[texts.Count * Dimension];
            for (int t = 0; t < texts.Count; t++)
            {
                string[] words = [.. CaptionVocabulary.Split(texts[t])];
                int axis = Array.FindIndex(words, w => w is "zero" or "one" or "two") is int at and >= 0
                    ? Array.IndexOf(ClassWords, words[at]) : 3;
                embeddings[t * Dimension + axis] = words.Length;
                EmbeddedTexts.Add(texts[t]);
            }
            return embeddings;
        }
    }

    private static readonly string[] ClassWords = ["zero", "one", "two"];

    private static CaptionedDigits Split(byte[] looks, byte[] labels, string[] captions)
    {
        var pixels = new byte[looks.Length * 2];
        for (int i = 0; i < looks.Length; i++) pixels[2 * i] = looks[i];
        return new CaptionedDigits(new IdxImages(pixels, looks.Length, 1, 2), labels, captions);
    }

    /// <summary>Six test images, two per class; image 1 (a zero) looks like a one and image 5 (a two) like a zero.</summary>
    private static readonly CaptionedDigits Test = Split([0, 1, 1, 1, 2, 0], [0, 0, 1, 1, 2, 2],
        ["a zero", "the digit zero", "a one", "one", "a thick two", "two"]);

    /// <summary>Six training images that look like what they are.</summary>
    private static readonly CaptionedDigits Training = Split([0, 1, 2, 0, 1, 2], [0, 1, 2, 0, 1, 2],
        ["zero", "one", "two", "zero", "one", "two"]);

    private static readonly IReadOnlyList<IReadOnlyList<string>> Prompts = [["a zero", "the zero digit"], ["one"], ["a two two"]];

    [Fact]
    public void Zero_shot_predicts_the_class_an_image_looks_like()
    {
        ZeroShotReport report = ImageTextEvaluation.ZeroShot(new HandSetModel(), Test, Prompts);
        Assert.Equal([0, 1, 1, 1, 2, 0], report.Predictions);
        Assert.Equal((4, 6), (report.Correct, report.Total));
        Assert.Equal([1, 2, 1], report.ClassCorrect);
        Assert.Equal([2, 2, 2], report.ClassTotal);
        Assert.Equal(4.0 / 6, report.MeanClassAccuracy, 12);
    }

    [Fact]
    public void Evaluate_reports_zero_shot_retrieval_and_probe_exactly()
    {
        var model = new HandSetModel();
        ImageTextReport report = ImageTextEvaluation.Evaluate(model, Training, Test, Prompts);
        // The prompts and the test captions were embedded, once each; the training captions were not needed.
        Assert.Equal(10, model.EmbeddedTexts.Count);
        Assert.Equal(new HashSet<string>([.. Prompts.SelectMany(p => p), .. Test.Captions]), new HashSet<string>(model.EmbeddedTexts));

        Assert.Equal([0, 1, 1, 1, 2, 0], report.ZeroShot.Predictions);
        Assert.Equal(4, report.ZeroShot.Correct);

        // Cosines are 1 on a shared axis and 0 otherwise, so captions of one class tie; each query scores the share
        // of its tie-allowed ranks within K. Image 1 (looks like a one, caption "zero") is beaten by the two captions
        // of ones and ties with three others: ranks 3–6, R@1 0, R@5 3/4. Image 5 likewise. Images 0, 2, 3, 4 tie
        // with one caption of their class: R@1 1/2. Text → image: "a zero" ties with image 5 (1/2); "the digit zero"
        // is beaten by images 0 and 5 and ties with 2, 3, 4 (R@5 3/4); "a one" and "one" tie with two ones (1/3);
        // "a thick two" stands alone (1); "two" is beaten by image 4 and ties with four (R@5 4/5).
        RetrievalReport retrieval = report.Retrieval;
        Assert.Equal(6, retrieval.Pairs);
        Assert.Equal([1, 5, 10], retrieval.Ks);
        AssertClose([(0.5 + 0 + 0.5 + 0.5 + 0.5 + 0) / 6, (1 + 0.75 + 1 + 1 + 1 + 0.75) / 6, 1], retrieval.ImageToText);
        AssertClose([(0.5 + 0 + 1.0 / 3 + 1.0 / 3 + 1 + 0) / 6, (1 + 0.75 + 1 + 1 + 1 + 0.8) / 6, 1], retrieval.TextToImage);
        Assert.Equal(1.5, retrieval.ImageToTextMedianRank);
        Assert.Equal(2, retrieval.TextToImageMedianRank);
        EmbeddingMatrix images = ImageTextEvaluation.Images(model, Test), captions = ImageTextEvaluation.Texts(model, Test.Captions);
        Assert.Equal([1.5, 4.5, 1.5, 1.5, 1.5, 4.5], CrossModalRetrieval.Ranks(images, captions));
        Assert.Equal([1.5, 4.5, 2, 2, 1, 4], CrossModalRetrieval.Ranks(captions, images));

        // The probe learns look → class on the training split, so it is right exactly where the look is.
        LinearProbeReport probe = report.Probe;
        Assert.Equal(1.0, probe.TrainAccuracy);
        Assert.Equal(4.0 / 6, probe.TestAccuracy, 12);
        Assert.Equal(3, probe.Classes);
        Assert.Equal(Dimension, probe.Dimension);

    }

    [Fact]
    public void Class_embeddings_average_unit_prompt_embeddings()
    {
        // "zero" embeds as 1·e0 and "a b one" as 3·e1: a mean of raw vectors would lean to e1, a mean of unit vectors does not.
        EmbeddingMatrix classes = ImageTextEvaluation.ClassEmbeddings(new HandSetModel(), [["zero", "a b one"], ["two"]]);
        Assert.Equal((2, Dimension), (classes.Rows, classes.Dimension));
        float half = MathF.Sqrt(0.5f);
        float[] zero = classes.Row(0).ToArray();
        Assert.Equal(half, zero[0], 6);
        Assert.Equal(half, zero[1], 6);
        Assert.Equal([0f, 0], zero[2..]);
        Assert.Equal([0f, 0, 1, 0], classes.Row(1).ToArray());
    }

    [Fact]
    public void A_class_without_prompts_or_no_classes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ImageTextEvaluation.ClassEmbeddings(new HandSetModel(), [["zero"], []]));
        Assert.Throws<ArgumentException>(() => ImageTextEvaluation.ClassEmbeddings(new HandSetModel(), []));
        Assert.Throws<ArgumentException>(() => ImageTextEvaluation.ZeroShot(new HandSetModel(), Test, [["zero"], []]));
    }

    [Fact]
    public void Images_and_texts_become_matrices_of_the_model_width()
    {
        var model = new HandSetModel();
        EmbeddingMatrix images = ImageTextEvaluation.Images(model, Test);
        Assert.Equal((6, Dimension), (images.Rows, images.Dimension));
        Assert.Equal([0f, 1, 0, 0], images.Row(1).ToArray());
        EmbeddingMatrix texts = ImageTextEvaluation.Texts(model, ["no class word here"]);
        Assert.Equal([0f, 0, 0, 4], texts.Row(0).ToArray());
    }

    private static void AssertClose(double[] expected, IReadOnlyList<double> actual)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 12);
    }
}
