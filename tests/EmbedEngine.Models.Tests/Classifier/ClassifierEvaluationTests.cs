using EmbedEngine.Models.FastText.Supervised;

namespace EmbedEngine.Models.Tests.Classifier;

/// <summary>P@k and R@k counted by hand, on a model that certainly predicts a for a-words and b for b-words.</summary>
public sealed class ClassifierEvaluationTests
{
    private static ClassifierModel TwoLabelModel(ScratchFolder folder)
    {
        var lines = Enumerable.Range(0, 200).Select(i => i % 2 == 0 ? $"__label__a a{i % 10} a{(i + 3) % 10}" : $"__label__b b{i % 10} b{(i + 3) % 10}");
        string train = folder.Write("train.txt", string.Join('\n', lines));
        return ClassifierTrainer.Train(train, new ClassifierOptions { Dimension = 8, Epochs = 10, LearningRate = 0.5f, Threads = 1 }).Model;
    }

    private const string TestLines =
        "__label__a a1 a2\n" +             // predicts a: correct
        "__label__b a1 a2\n" +             // predicts a: wrong
        "__label__a __label__b b3 b4\n" +  // predicts b: correct, one of two gold labels
        "b5 __label__b\n" +                // predicts b: correct
        "__label__zzz a1\n" +              // label unknown to the model: not scored
        "no label at all\n";               // not scored

    [Fact]
    public void Precision_and_recall_at_1()
    {
        using var folder = new ScratchFolder();
        using ClassifierModel model = TwoLabelModel(folder);
        ClassifierScore score = ClassifierEvaluation.Test(model, folder.Write("test.txt", TestLines), k: 1);
        Assert.Equal((4L, 4L, 5L, 3L), (score.Examples, score.Predicted, score.Gold, score.Correct));
        Assert.Equal(0.75, score.Precision);
        Assert.Equal(0.6, score.Recall);
    }

    [Fact]
    public void Precision_and_recall_at_2_predict_both_labels()
    {
        using var folder = new ScratchFolder();
        using ClassifierModel model = TwoLabelModel(folder);
        ClassifierScore score = ClassifierEvaluation.Test(model, folder.Write("test.txt", TestLines), k: 2);
        Assert.Equal((4L, 8L, 5L, 5L), (score.Examples, score.Predicted, score.Gold, score.Correct));
        Assert.Equal(5 / 8.0, score.Precision);
        Assert.Equal(1.0, score.Recall);
    }

    [Fact]
    public void A_threshold_drops_unsure_predictions()
    {
        using var folder = new ScratchFolder();
        using ClassifierModel model = TwoLabelModel(folder);
        ClassifierScore score = ClassifierEvaluation.Test(model, folder.Write("test.txt", TestLines), k: 2, threshold: 0.5f);
        Assert.Equal((4L, 3L), (score.Predicted, score.Correct));
    }
}
