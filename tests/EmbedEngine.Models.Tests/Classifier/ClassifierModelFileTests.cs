using EmbedEngine.Models.FastText;
using EmbedEngine.Models.FastText.Supervised;

namespace EmbedEngine.Models.Tests.Classifier;

public sealed class ClassifierModelFileTests
{
    private static ClassifierModel Trained(ScratchFolder folder, FastTextLoss loss)
    {
        string train = folder.Write("train.txt", LabelledCorpus.Text(lines: 200, seed: 1));
        return ClassifierTrainer.Train(train, new ClassifierOptions
        {
            Dimension = 6, Epochs = 2, Threads = 1, Loss = loss, WordNgrams = 2, Buckets = 50,
        }).Model;
    }

    private static string SavedModel(ScratchFolder folder, FastTextLoss loss)
    {
        using ClassifierModel model = Trained(folder, loss);
        string path = folder.File("model.cls");
        ClassifierModelFile.Save(model, path);
        return path;
    }

    [Theory]
    [InlineData(FastTextLoss.Softmax)]
    [InlineData(FastTextLoss.HierarchicalSoftmax)]
    [InlineData(FastTextLoss.OneVsAll)]
    public void Round_trip_keeps_every_weight_and_prediction(FastTextLoss loss)
    {
        using var folder = new ScratchFolder();
        using ClassifierModel model = Trained(folder, loss);
        string path = folder.File("model.cls");
        ClassifierModelFile.Save(model, path);
        using ClassifierModel loaded = ClassifierModelFile.Load(path);

        Assert.Equal(loss, loaded.Loss);
        Assert.Equal((2, 50, "__label__"), (loaded.Dictionary.WordNgrams, loaded.Dictionary.Buckets, loaded.Dictionary.LabelPrefix));
        Assert.Equal(model.Dictionary.Words.Words, loaded.Dictionary.Words.Words);
        Assert.Equal(model.Dictionary.Labels.Words, loaded.Dictionary.Labels.Words);
        for (int row = 0; row < model.Input.Rows; row++) Assert.True(model.Input.Row(row).SequenceEqual(loaded.Input.Row(row)));
        for (int row = 0; row < model.Output.Weights.Rows; row++)
            Assert.True(model.Output.Weights.Row(row).SequenceEqual(loaded.Output.Weights.Row(row)));
        Assert.Equal(model.Predict("b1 b2 a3", k: 3), loaded.Predict("b1 b2 a3", k: 3));
    }

    [Fact]
    public void A_flipped_byte_fails_the_checksum()
    {
        using var folder = new ScratchFolder();
        string path = SavedModel(folder, FastTextLoss.Softmax);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[bytes.Length - 20] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<InvalidDataException>(() => ClassifierModelFile.Load(path));
        Assert.Contains("checksum", error.Message);
        Assert.Contains("model.cls", error.Message);
    }

    [Fact]
    public void A_truncated_file_says_so()
    {
        using var folder = new ScratchFolder();
        string path = SavedModel(folder, FastTextLoss.Softmax);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 9)]);
        var error = Assert.Throws<InvalidDataException>(() => ClassifierModelFile.Load(path));
        Assert.Contains("bytes, but its header calls for", error.Message);
    }

    [Fact]
    public void Another_kind_of_file_is_refused_by_its_magic()
    {
        using var folder = new ScratchFolder();
        string path = folder.Write("vectors.vec", "2 3\nalpha 1 2 3\nbeta 4 5 6\n");
        var error = Assert.Throws<InvalidDataException>(() => ClassifierModelFile.Load(path));
        Assert.Contains("not an EmbedEngine classifier model", error.Message);
    }
}
