using EmbedEngine.Evaluation.Transfer;
using EmbedEngine.Models.Sentence;
using EmbedEngine.Vectors;

namespace EmbedEngine.Evaluation.Tests.Transfer;

public sealed class TransferEvaluatorTests : IDisposable
{
    private const int Dimension = 4;
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Separable_documents_are_classified_almost_perfectly_and_the_interval_holds_the_accuracy()
    {
        // Spam words lean to +x, ham words to -x: the mean of a document's words tells its class.
        var random = new Random(3);
        using KeyedVectors vectors = Vocabulary(random, word => word[0] == 's' ? 1f : -1f);
        string folder = WriteTask(random, 300, 200, spamShare: 0.4, ByItsWords, uncoveredTestDocuments: 5);

        TransferReport report = Evaluate(vectors, folder);

        Assert.Equal(205, report.Tested);
        Assert.Equal(200, report.Covered);
        // The five documents without a known word are all that can go wrong: a zero vector gets one class for all five.
        Assert.InRange(report.Correct, 200, 205);
        Assert.Equal((double)report.Correct / report.Tested, report.Accuracy);
        Assert.InRange(report.Accuracy, report.Interval.Lower, report.Interval.Upper);
        Assert.True(report.Interval.Upper - report.Interval.Lower < 0.05, $"{report.Interval}");
        Assert.Contains(report.L2, TransferEvaluator.Penalties);
        Assert.Equal(300, report.TrainDocuments);
        Assert.Equal(Dimension, report.Dimension);
    }

    [Fact]
    public void Labels_unrelated_to_the_text_score_about_the_majority_rate()
    {
        var random = new Random(5);
        using KeyedVectors vectors = Vocabulary(random, _ => 0f);
        string folder = WriteTask(random, 600, 400, spamShare: 0.3, documentLabel: _ => random.NextDouble() < 0.3 ? "spam" : "ham",
            uncoveredTestDocuments: 0);

        TransferReport report = Evaluate(vectors, folder);

        Assert.InRange(report.MajorityRate, 0.62, 0.78);
        Assert.InRange(report.Accuracy, report.MajorityRate - 0.06, report.MajorityRate + 0.03);
        Assert.InRange(report.Accuracy, report.Interval.Lower, report.Interval.Upper);
        Assert.Equal(400, report.Covered);
    }

    [Fact]
    public void The_same_seed_gives_the_same_report()
    {
        // Weakly separated words, so the penalty choice and the fit matter.
        var random = new Random(7);
        using KeyedVectors vectors = Vocabulary(random, word => word[0] == 's' ? 0.3f : -0.3f);
        TransferData data = TransferData.Load(WriteTask(random, 200, 100, spamShare: 0.5, ByItsWords, uncoveredTestDocuments: 0));
        var encoder = new MeanPoolingEncoder(vectors);
        Assert.Equal(TransferEvaluator.Evaluate(encoder, data, 200, 4), TransferEvaluator.Evaluate(encoder, data, 200, 4));
    }

    [Fact]
    public void Classes_are_the_labels_of_both_files_in_ordinal_order()
    {
        string folder = Folder("classes", "__label__spam buy now\n\n__label__ham hello there\n", "__label__eggs a\n__label__ham b\n");
        TransferData data = TransferData.Load(folder);
        Assert.Equal(["eggs", "ham", "spam"], data.Classes);
        Assert.Equal(["buy now", "hello there"], data.Train.Texts);
        Assert.Equal([2, 1], data.Train.Labels);
        Assert.Equal([0, 1], data.Test.Labels);
    }

    [Theory]
    [InlineData("__label__ham fine\nno label here\n", "train.txt:2: the line does not start with a label")]
    [InlineData("__label__ham fine\n__label__ some text\n", "train.txt:2: the line does not start with a label")]
    [InlineData("\n\n", "train.txt:1: the file has no documents")]
    public void A_malformed_file_is_named_with_its_line(string train, string message)
    {
        string folder = Folder("bad", train, "__label__ham fine\n");
        EvaluationDataException error = Assert.Throws<EvaluationDataException>(() => TransferData.Load(folder));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_split_is_named()
    {
        string folder = _files.PathOf("missing");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "train.txt"), "__label__ham fine\n");
        EvaluationDataException error = Assert.Throws<EvaluationDataException>(() => TransferData.Load(folder));
        Assert.Contains("test.txt: the file does not exist", error.Message, StringComparison.Ordinal);
    }

    private static TransferReport Evaluate(KeyedVectors vectors, string folder) =>
        TransferEvaluator.Evaluate(new MeanPoolingEncoder(vectors), TransferData.Load(folder), resamples: 500, seed: 1);

    /// <summary>Spam when the document is made of spam words.</summary>
    private static string ByItsWords(string[] words) => words[0][0] == 's' ? "spam" : "ham";

    /// <summary>Ten spam words s0..s9 and ten ham words h0..h9: noise in every axis, plus <paramref name="lean"/> in the first.</summary>
    private static KeyedVectors Vocabulary(Random random, Func<string, float> lean) =>
        TestVectors.Create([.. new[] { "s", "h" }.SelectMany(prefix => Enumerable.Range(0, 10).Select(i => $"{prefix}{i}"))
            .Select(word => (word, Enumerable.Range(0, Dimension)
                .Select(axis => (axis == 0 ? lean(word) : 0f) + (float)(random.NextDouble() - 0.5) * 0.5f).ToArray()))]);

    /// <summary>
    /// Documents of five words, all spam words for a <paramref name="spamShare"/> of them and ham words otherwise, each
    /// labelled by <paramref name="documentLabel"/>; the test split ends with documents of unknown words only.
    /// </summary>
    private string WriteTask(Random random, int trainCount, int testCount, double spamShare, Func<string[], string> documentLabel,
        int uncoveredTestDocuments)
    {
        IEnumerable<string> Documents(int count) => Enumerable.Range(0, count).Select(_ =>
        {
            char prefix = random.NextDouble() < spamShare ? 's' : 'h';
            string[] words = [.. Enumerable.Range(0, 5).Select(_ => $"{prefix}{random.Next(10)}")];
            return $"__label__{documentLabel(words)} {string.Join(' ', words)}";
        });
        string train = string.Join('\n', Documents(trainCount));
        string test = string.Join('\n', Documents(testCount).Concat(Enumerable.Repeat("__label__spam unknown words", uncoveredTestDocuments)));
        return Folder("task", train, test);
    }

    private string Folder(string name, string train, string test)
    {
        string folder = _files.PathOf(name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "train.txt"), train);
        File.WriteAllText(Path.Combine(folder, "test.txt"), test);
        return folder;
    }
}
