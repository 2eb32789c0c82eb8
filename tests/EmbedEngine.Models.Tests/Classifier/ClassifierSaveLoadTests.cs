using EmbedEngine.Models.FastText;
using EmbedEngine.Models.FastText.Supervised;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.Tests.Classifier;

/// <summary>Classifiers trained here are saved as fastText's .bin and load back unchanged.</summary>
public sealed class ClassifierSaveLoadTests
{
    private static ClassifierModel Trained(ScratchFolder folder, FastTextLoss loss)
    {
        string train = folder.Write("train.txt", LabelledCorpus.Text(lines: 200, seed: 1));
        return ClassifierTrainer.Train(train, new ClassifierOptions
        {
            Dimension = 6, Epochs = 2, Threads = 1, Loss = loss, WordNgrams = 2, Buckets = 50,
        }).Model;
    }

    [Theory]
    [MemberData(nameof(LabelledCorpus.Losses), MemberType = typeof(LabelledCorpus))]
    public void Round_trip_keeps_every_weight_and_prediction(FastTextLoss loss)
    {
        using var folder = new ScratchFolder();
        using ClassifierModel model = Trained(folder, loss);
        string path = folder.File("model.bin");
        model.Save(path);
        using ClassifierModel loaded = ClassifierModel.Load(path);

        Assert.Equal(loss, loaded.Loss);
        Assert.Equal((2, 50), (loaded.Dictionary.WordNgrams, loaded.Dictionary.Buckets));
        Assert.Equal(model.FastText.Args, loaded.FastText.Args);
        Assert.Equal(model.Dictionary.Words, loaded.Dictionary.Words);
        Assert.Equal(model.Dictionary.Labels, loaded.Dictionary.Labels);
        Assert.Equal(model.Dictionary.LabelCounts, loaded.Dictionary.LabelCounts);
        Assert.Equal(model.Dictionary.Entries.TokenCount, loaded.Dictionary.Entries.TokenCount);
        for (int row = 0; row < model.Input.Rows; row++) Assert.True(model.Input.Row(row).SequenceEqual(loaded.Input.Row(row)));
        for (int row = 0; row < model.FastText.Output.Rows; row++)
            Assert.True(model.FastText.Output.Row(row).SequenceEqual(loaded.FastText.Output.Row(row)));
        Assert.Equal(model.Predict("b1 b2 a3", k: 3), loaded.Predict("b1 b2 a3", k: 3));
    }

    [Fact]
    public void The_file_is_a_supervised_fastText_model_with_fastTexts_settings()
    {
        using var folder = new ScratchFolder();
        using ClassifierModel model = Trained(folder, FastTextLoss.HierarchicalSoftmax);
        string path = folder.File("model.bin");
        model.Save(path);

        using FastTextModel raw = FastTextBinaryFile.Load(path);
        Assert.Equal(FastTextModelKind.Supervised, raw.Args.Model);
        Assert.Equal((0, 0, 6, 2), (raw.Args.MinN, raw.Args.MaxN, raw.Args.Dimension, raw.Args.Epochs));
        // fastText keeps one output row per label even for hs, whose tree needs only labels - 1.
        Assert.Equal(raw.Dictionary.LabelCount, raw.Output.Rows);
        Assert.Equal(FastTextEntryType.Label, raw.Dictionary.TypeOf(raw.Dictionary.WordCount));
    }

    [Fact]
    public void A_word_vector_model_is_not_taken_for_a_classifier()
    {
        var error = Assert.Throws<VectorFormatException>(() => ClassifierModel.Load(FastText.FastTextFixture.ModelPath));
        Assert.Contains("tiny-skipgram.bin", error.Message);
        Assert.Contains("SkipGram model of word vectors, not a classifier", error.Message);
    }
}
