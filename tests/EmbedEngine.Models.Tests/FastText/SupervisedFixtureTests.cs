using EmbedEngine.Models.FastText;
using EmbedEngine.Models.FastText.Supervised;

namespace EmbedEngine.Models.Tests.FastText;

/// <summary>Classifiers trained by fastText load here and predict what fastText predicts.</summary>
public sealed class SupervisedFixtureTests
{
    /// <summary>fastText prints six significant digits; its values below 1 are thus exact to 5e-7, 1.00001 to 5e-6.</summary>
    private const double PrintedPrecision = 1e-5;

    [Theory]
    [MemberData(nameof(SupervisedFixture.Models), MemberType = typeof(SupervisedFixture))]
    public void Every_label_gets_fastTexts_probability(string name, int k)
    {
        using ClassifierModel model = ClassifierModel.Load(SupervisedFixture.ModelPath(name));
        string[] lines = SupervisedFixture.TestLines(name);
        IReadOnlyList<(string Label, double Probability)[]> expected = SupervisedFixture.Expected(name);
        Assert.Equal(lines.Length, expected.Count);
        for (int i = 0; i < lines.Length; i++)
        {
            IReadOnlyList<LabelPrediction> ours = model.Predict(lines[i], k);
            Assert.Equal(expected[i].Length, ours.Count);
            Dictionary<string, float> byLabel = ours.ToDictionary(p => p.Label, p => p.Probability);
            foreach ((string label, double probability) in expected[i])
                Assert.True(Math.Abs(byLabel[label] - probability) <= PrintedPrecision,
                    $"line {i + 1}, {label}: ours {byLabel[label]}, fastText {probability}");
            // The ranking matches too; labels may only swap places where fastText printed the same probability.
            Dictionary<string, double> printed = expected[i].ToDictionary(e => e.Label, e => e.Probability);
            for (int rank = 0; rank < ours.Count; rank++)
                Assert.Equal(expected[i][rank].Probability, printed[ours[rank].Label]);
        }
    }

    /// <summary>fastText keeps a label when p reaches the threshold (for hs: when the smoothed path does).</summary>
    [Theory]
    [InlineData("topics-hs", "0.15")]
    [InlineData("topics-ova", "0.3")]
    public void A_threshold_keeps_the_labels_fastText_keeps(string name, string threshold)
    {
        using ClassifierModel model = ClassifierModel.Load(SupervisedFixture.ModelPath(name));
        string[] lines = SupervisedFixture.TestLines(name);
        IReadOnlyList<(string Label, double Probability)[]> expected = SupervisedFixture.Expected(name, threshold);
        float minimum = float.Parse(threshold, System.Globalization.CultureInfo.InvariantCulture);
        for (int i = 0; i < lines.Length; i++)
            Assert.Equal(expected[i].Select(e => e.Label).Order(), model.Predict(lines[i], k: 4, minimum).Select(p => p.Label).Order());
    }

    [Theory]
    [MemberData(nameof(SupervisedFixture.Names), MemberType = typeof(SupervisedFixture))]
    public void Saving_a_loaded_fastText_classifier_rewrites_its_file_byte_for_byte(string name)
    {
        using ClassifierModel model = ClassifierModel.Load(SupervisedFixture.ModelPath(name));
        using var folder = new ScratchFolder();
        string path = folder.File("again.bin");
        model.Save(path);
        Assert.Equal(File.ReadAllBytes(SupervisedFixture.ModelPath(name)), File.ReadAllBytes(path));
    }

    [Fact]
    public void The_topic_models_are_read_as_fastText_wrote_them()
    {
        using ClassifierModel model = ClassifierModel.Load(SupervisedFixture.ModelPath("topics-hs"));
        Assert.Equal(FastTextLoss.HierarchicalSoftmax, model.Loss);
        Assert.Equal(["__label__sport", "__label__food", "__label__tech", "__label__weather"], model.Dictionary.Labels);
        Assert.Equal((10, 2, 1000), (model.Dimension, model.Dictionary.WordNgrams, model.Dictionary.Buckets));
        Assert.Equal("</s>", model.Dictionary.Words[0]);
    }
}
