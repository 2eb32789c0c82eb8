using EmbedEngine.Evaluation.Multimodal;
using static EmbedEngine.Evaluation.Tests.Multimodal.MultimodalData;

namespace EmbedEngine.Evaluation.Tests.Multimodal;

public class ZeroShotClassifierTests
{
    /// <summary>
    /// Classes cat, dog, bird on the axes (dog's text embedding 5 long, so raw dot products would favour it) and a
    /// fish class pointing away from every image. Image 3 (0.9, 1, 0), a cat, is closer to dog: the one mistake.
    /// Image 4 (1, 0.9, 0) is a cat by cosine though its dot product with dog's row is 4.5 against 1.
    /// </summary>
    private static readonly EmbeddingMatrix Classes = Matrix([1, 0, 0], [0, 5, 0], [0, 0, 2], [-1, -1, -1]);

    private static readonly EmbeddingMatrix Images = Matrix([2, 0.1f, 0], [0.5f, 3, 0], [0, 0.2f, 5], [0.9f, 1, 0], [1, 0.9f, 0]);

    private static readonly int[] Labels = [0, 1, 2, 0, 0];

    [Fact]
    public void Predicts_the_class_closest_in_cosine()
    {
        Assert.Equal([0, 1, 2, 1, 0], ZeroShotClassifier.Predict(Images, Classes));
    }

    [Fact]
    public void Reports_accuracy_overall_and_per_class()
    {
        ZeroShotReport report = ZeroShotClassifier.Evaluate(Images, Classes, Labels);
        Assert.Equal((4, 5), (report.Correct, report.Total));
        Assert.Equal(0.8, report.Accuracy, 12);
        Assert.Equal([0, 1, 2, 1, 0], report.Predictions);
        Assert.Equal([2, 1, 1, 0], report.ClassCorrect);
        Assert.Equal([3, 1, 1, 0], report.ClassTotal);
        Assert.Equal(2.0 / 3, report.ClassAccuracy(0), 12);
        Assert.Equal(1.0, report.ClassAccuracy(1), 12);
        Assert.True(double.IsNaN(report.ClassAccuracy(3)));
        Assert.Equal((2.0 / 3 + 1 + 1) / 3, report.MeanClassAccuracy, 12);
        Assert.Equal(
            "zero-shot top-1: 80.00% (4/5)\nmean per-class accuracy: 88.89% over 4 classes\n" +
            "  0 cat: 66.67% (2/3)\n  1 dog: 100.00% (1/1)\n  2 bird: 100.00% (1/1)\n  3 fish: n/a (0/0)\n",
            report.Describe(["cat", "dog", "bird", "fish"]).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Blocks_of_images_give_the_same_predictions_as_one()
    {
        var random = new Random(5);
        EmbeddingMatrix images = ExactRows(301, random), classes = ExactRows(13, random);
        int[] whole = ZeroShotClassifier.PredictChecked(images, classes, blockRows: 1000);
        Assert.Equal(whole, ZeroShotClassifier.PredictChecked(images, classes, blockRows: 7));
        Assert.Equal(whole, ZeroShotClassifier.Predict(images, classes));
        // Against the definition in double: argmax of the cosine, the first of tied classes.
        double[] unitImages = UnitRowsInDouble(images), unitClasses = UnitRowsInDouble(classes);
        for (int i = 0; i < images.Rows; i++)
        {
            int best = 0;
            double bestScore = double.NegativeInfinity;
            for (int c = 0; c < classes.Rows; c++)
            {
                double score = 0;
                for (int j = 0; j < 16; j++) score += unitImages[i * 16 + j] * unitClasses[c * 16 + j];
                if (score > bestScore) (best, bestScore) = (c, score);
            }
            Assert.Equal(best, whole[i]);
        }
    }

    [Fact]
    public void A_tie_goes_to_the_lower_class()
    {
        Assert.Equal([0, 0], ZeroShotClassifier.Predict(Matrix([1, 1, 0], [0, 0, 0]), Classes));
    }

    [Fact]
    public void Prompts_are_normalized_averaged_and_normalized_again()
    {
        // Class 0: (3, 0, 0) and (0, 4, 0) become e1 and e2, whose mean renormalizes to (1, 1, 0)/√2; class 1's
        // prompts point the same way, so their lengths do not matter.
        EmbeddingMatrix prompts = Matrix([3, 0, 0], [0, 4, 0], [0, 0, 2], [0, 0, 7]);
        EmbeddingMatrix averaged = ZeroShotClassifier.AveragePrompts(prompts, promptsPerClass: 2);
        Assert.Equal((2, 3), (averaged.Rows, averaged.Dimension));
        float half = 1 / MathF.Sqrt(2);
        AssertClose([half, half, 0, 0, 0, 1], averaged.Data);

        EmbeddingMatrix byClass = ZeroShotClassifier.AveragePrompts([Matrix([3, 0, 0], [0, 4, 0], [0, 5, 0]), Matrix([0, 0, 2])]);
        // Unit e1 + 2·e2 over three, renormalized: (1, 2, 0)/√5.
        AssertClose([1 / MathF.Sqrt(5), 2 / MathF.Sqrt(5), 0, 0, 0, 1], byClass.Data);
    }

    [Fact]
    public void Bad_input_is_refused_with_a_clear_message()
    {
        var e = Assert.Throws<ArgumentException>(() => ZeroShotClassifier.Predict(Matrix([1, 0]), Classes));
        Assert.Contains("dimension 2", e.Message);
        e = Assert.Throws<ArgumentException>(() => ZeroShotClassifier.Evaluate(Images, Classes, [0, 1, 2, 0, 4]));
        Assert.Contains("Label 4 of 'labels' is 4; labels must lie in [0, 4)", e.Message);
        Assert.Throws<ArgumentException>(() => ZeroShotClassifier.Evaluate(Images, Classes, [0, 1, 2, 0, -1]));
        e = Assert.Throws<ArgumentException>(() => ZeroShotClassifier.Evaluate(Images, Classes, [0, 1]));
        Assert.Contains("2 labels for 5 rows", e.Message);
        e = Assert.Throws<ArgumentException>(() => ZeroShotClassifier.Predict(new EmbeddingMatrix([], 0, 3), Classes));
        Assert.Contains("'images' has no rows", e.Message);
        Assert.Throws<ArgumentException>(() => ZeroShotClassifier.Predict(default, Classes));
        e = Assert.Throws<ArgumentException>(() => ZeroShotClassifier.Predict(Matrix([1, float.NaN, 0]), Classes));
        Assert.Contains("Row 0, column 1 of 'images' is NaN", e.Message);
        e = Assert.Throws<ArgumentException>(() => ZeroShotClassifier.AveragePrompts(Matrix([1, 0], [0, 1], [1, 1]), 2));
        Assert.Contains("3 rows, not a whole number of classes of 2 prompts", e.Message);
        Assert.Throws<ArgumentException>(() => ZeroShotClassifier.AveragePrompts([Matrix([1, 0]), Matrix([1, 0, 0])]));
        Assert.Throws<ArgumentException>(() => ZeroShotClassifier.AveragePrompts([]));
    }

    [Fact]
    public void The_matrix_checks_its_shape()
    {
        var e = Assert.Throws<ArgumentException>(() => new EmbeddingMatrix(new float[5], 2, 3));
        Assert.Contains("5 floats; 2 rows × 3 = 6 expected", e.Message);
        Assert.Throws<ArgumentException>(() => new EmbeddingMatrix([], 0, 0));
        Assert.Throws<ArgumentException>(() => Matrix([1, 2], [3]));
        Assert.Equal([3f, 4f], Matrix([1, 2], [3, 4]).Row(1).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => Matrix([1, 2]).Row(1).ToArray());
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 6);
    }
}
