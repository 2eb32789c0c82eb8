using EmbedEngine.Models.FastText;
using EmbedEngine.Models.FastText.Supervised;
using EmbedEngine.Text;

namespace EmbedEngine.Models.Tests.Classifier;

public sealed class ClassifierTrainerTests
{
    private static ClassifierOptions Small(FastTextLoss loss) => new()
    {
        Dimension = 10, Epochs = 5, LearningRate = 0.5f, Loss = loss, Threads = 1, Seed = 3,
    };

    [Theory]
    [MemberData(nameof(LabelledCorpus.Losses), MemberType = typeof(LabelledCorpus))]
    public void Separates_three_label_vocabularies(FastTextLoss loss)
    {
        using var folder = new ScratchFolder();
        string train = folder.Write("train.txt", LabelledCorpus.Text(lines: 600, seed: 1));
        string test = folder.Write("test.txt", LabelledCorpus.Text(lines: 200, seed: 2));
        ClassifierResult result = ClassifierTrainer.Train(train, Small(loss));
        using ClassifierModel model = result.Model;

        Assert.Equal(["__label__a", "__label__b", "__label__c"], model.Dictionary.Labels);
        ClassifierScore score = ClassifierEvaluation.Test(model, test);
        Assert.Equal(200, score.Examples);
        Assert.Equal(1.0, score.Precision);
        Assert.Equal(1.0, score.Recall);
        LabelPrediction best = Assert.Single(model.Predict("c3 c7 c1"));
        Assert.Equal("__label__c", best.Label);
        Assert.InRange(best.Probability, 0.5f, 1f);
    }

    [Theory]
    [InlineData(FastTextLoss.Softmax)]
    [InlineData(FastTextLoss.HierarchicalSoftmax)]
    public void Label_probabilities_sum_to_one(FastTextLoss loss)
    {
        using var folder = new ScratchFolder();
        string train = folder.Write("train.txt", LabelledCorpus.Text(lines: 300, seed: 1));
        using ClassifierModel model = ClassifierTrainer.Train(train, Small(loss)).Model;

        IReadOnlyList<LabelPrediction> all = model.Predict("a1 b2 c3", k: 3);
        Assert.Equal(3, all.Count);
        Assert.Equal(1f, all.Sum(p => p.Probability), 4);
        Assert.True(all[0].Probability >= all[1].Probability && all[1].Probability >= all[2].Probability);
    }

    [Fact]
    public void Threshold_and_k_limit_the_predictions()
    {
        using var folder = new ScratchFolder();
        string train = folder.Write("train.txt", LabelledCorpus.Text(lines: 300, seed: 1));
        using ClassifierModel model = ClassifierTrainer.Train(train, Small(FastTextLoss.Softmax)).Model;

        Assert.Equal(2, model.Predict("a1 a2", k: 2).Count);
        LabelPrediction only = Assert.Single(model.Predict("a1 a2", k: 3, threshold: 0.5f));
        Assert.Equal("__label__a", only.Label);
        Assert.Empty(model.Predict("unseen words only", k: 3, threshold: 0.999999f));
    }

    [Fact]
    public void One_thread_is_deterministic()
    {
        using var folder = new ScratchFolder();
        string train = folder.Write("train.txt", LabelledCorpus.Text(lines: 200, seed: 1));
        using ClassifierModel first = ClassifierTrainer.Train(train, Small(FastTextLoss.Softmax)).Model;
        using ClassifierModel second = ClassifierTrainer.Train(train, Small(FastTextLoss.Softmax)).Model;
        for (int row = 0; row < first.Input.Rows; row++)
            Assert.True(first.Input.Row(row).SequenceEqual(second.Input.Row(row)), $"input row {row} differs");
        Assert.True(first.Output.Weights.Row(0).SequenceEqual(second.Output.Weights.Row(0)));
    }

    /// <summary>Label a's words are a0..a9: unseen words that start the same way share its character n-grams.</summary>
    [Fact]
    public void Character_ngrams_label_unseen_words()
    {
        using var folder = new ScratchFolder();
        string train = folder.Write("train.txt", LabelledCorpus.Text(lines: 600, seed: 1));
        string test = folder.Write("test.txt", LabelledCorpus.Text(lines: 200, seed: 2));
        using ClassifierModel model = ClassifierTrainer.Train(train, Small(FastTextLoss.Softmax) with { MinN = 2, MaxN = 3, Buckets = 1000 }).Model;
        Assert.Equal((2, 3), (model.FastText.Args.MinN, model.FastText.Args.MaxN));
        Assert.Equal(model.Dictionary.WordCount + 1000, model.Input.Rows);
        Assert.Equal(1.0, ClassifierEvaluation.Test(model, test).Precision);
        Assert.Equal("__label__b", model.Predict("b10 b21 b32").Single().Label);
        Assert.Equal("__label__c", model.Predict("c10 c21 c32").Single().Label);
    }

    [Fact]
    public void Two_threads_learn_as_well()
    {
        using var folder = new ScratchFolder();
        string train = folder.Write("train.txt", LabelledCorpus.Text(lines: 600, seed: 1));
        string test = folder.Write("test.txt", LabelledCorpus.Text(lines: 200, seed: 2));
        ClassifierResult result = ClassifierTrainer.Train(train, Small(FastTextLoss.Softmax) with { Threads = 2, WordNgrams = 2, Buckets = 1000 });
        using ClassifierModel model = result.Model;
        Assert.Equal(1.0, ClassifierEvaluation.Test(model, test).Precision);
        Assert.Equal(result.Final.TotalWords, result.Final.WordsProcessed);
        Assert.Equal(model.Dictionary.WordCount + 1000, model.Input.Rows);
    }

    [Fact]
    public void No_label_in_the_file_is_a_clear_error()
    {
        using var folder = new ScratchFolder();
        string path = folder.Write("plain.txt", "just words\nand more words\n");
        var error = Assert.Throws<CorpusException>(() => ClassifierTrainer.Train(path, Small(FastTextLoss.Softmax)));
        Assert.Contains("plain.txt", error.Message);
        Assert.Contains("__label__", error.Message);
    }

    [Fact]
    public void An_empty_file_is_a_clear_error()
    {
        using var folder = new ScratchFolder();
        string path = folder.Write("empty.txt", "");
        var error = Assert.Throws<CorpusException>(() => ClassifierTrainer.Train(path, Small(FastTextLoss.Softmax)));
        Assert.Contains("empty.txt", error.Message);
        Assert.Contains("empty", error.Message);
    }
}
