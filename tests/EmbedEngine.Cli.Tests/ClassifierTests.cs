using System.Globalization;
using System.Text;

namespace EmbedEngine.Cli.Tests;

/// <summary><c>embed train classifier</c>, <c>embed test</c> and <c>embed predict</c> end to end, and their bad input.</summary>
public sealed class ClassifierTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "FastText", name);

    /// <summary>Lines of label "pos" use p-words, lines of "neg" n-words; the label sits at either end.</summary>
    private static string TwoTopics(int lines)
    {
        var text = new StringBuilder();
        for (int i = 0; i < lines; i++)
        {
            string words = i % 2 == 0 ? $"p{i % 7} p{(i + 2) % 7} p{(i + 4) % 7}" : $"n{i % 7} n{(i + 2) % 7} n{(i + 4) % 7}";
            string label = i % 2 == 0 ? "__label__pos" : "__label__neg";
            text.AppendLine(i % 3 == 0 ? $"{words} {label}" : $"{label} {words}");
        }
        return text.ToString();
    }

    private static string TrainedModel(TempFolder folder, string loss)
    {
        string train = folder.Write("train.txt", TwoTopics(200));
        string prefix = folder.File("model");
        CliRun run = CliRun.Of("train", "classifier", "-i", train, "-o", prefix, "--dim", "8", "--epoch", "10",
            "--lr", "0.5", "--wordNgrams", "2", "--bucket", "1000", "--loss", loss, "--thread", "1");
        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        Assert.Contains("2 labels", run.Output);
        // Like fastText's -output, the option is a prefix: the model is <prefix>.bin and nothing else is written.
        Assert.Equal([prefix + ".bin"], Directory.GetFiles(folder.Path, "model*"));
        return prefix + ".bin";
    }

    [Theory]
    [InlineData("softmax")]
    [InlineData("hs")]
    [InlineData("ova")]
    public void Train_then_test_prints_fastTexts_lines(string loss)
    {
        using var folder = new TempFolder();
        string model = TrainedModel(folder, loss);
        string test = folder.Write("test.txt", TwoTopics(40));
        CliRun run = CliRun.Of("test", model, test);
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("N\t40\nP@1\t1.000\nR@1\t1.000\n", run.Output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Predict_gives_k_labels_with_probabilities_per_line()
    {
        using var folder = new TempFolder();
        string model = TrainedModel(folder, "softmax");
        string lines = folder.Write("lines.txt", "p1 p3\nn2 n4\n");
        CliRun run = CliRun.Of("predict", model, lines, "2");
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        string[] output = run.Output.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(2, output.Length);
        Assert.StartsWith("__label__pos ", output[0]);
        Assert.Contains(" __label__neg ", output[0]);
        Assert.StartsWith("__label__neg ", output[1]);
        float first = float.Parse(output[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        float second = float.Parse(output[0].Split(' ')[3], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(1f, first + second, 3);
    }

    [Fact]
    public void Training_file_without_labels_exits_2()
    {
        using var folder = new TempFolder();
        string train = folder.Write("plain.txt", "no labels here\nnone here either\n");
        CliRun run = CliRun.Of("train", "classifier", "-i", train, "-o", folder.File("m"));
        BadInputTests.AssertBadInput(run, "plain.txt");
        Assert.Contains("__label__", run.Error);
        Assert.False(File.Exists(folder.File("m")));
    }

    [Fact]
    public void Empty_training_file_exits_2()
    {
        using var folder = new TempFolder();
        string train = folder.Write("empty.txt", "");
        BadInputTests.AssertBadInput(CliRun.Of("train", "classifier", "-i", train, "-o", folder.File("m")), "empty");
    }

    [Fact]
    public void Missing_model_exits_2()
    {
        using var folder = new TempFolder();
        string test = folder.Write("test.txt", TwoTopics(4));
        BadInputTests.AssertBadInput(CliRun.Of("test", folder.File("absent.bin"), test), "absent.bin");
        BadInputTests.AssertBadInput(CliRun.Of("predict", folder.File("absent.bin"), test), "absent.bin");
    }

    [Fact]
    public void A_file_that_is_not_a_model_exits_2()
    {
        using var folder = new TempFolder();
        string junk = folder.Write("junk.bin", "this is plain text, not a model\n");
        string test = folder.Write("test.txt", TwoTopics(4));
        BadInputTests.AssertBadInput(CliRun.Of("test", junk, test), "junk.bin");
    }

    [Theory]
    [InlineData("spam-softmax.bin", "spam-test.txt", "expected-spam-softmax.txt", "N\t12\nP@1\t1.000\nR@1\t1.000\n")]
    [InlineData("labels300-quantized.ftz", "labels300-test.txt", "expected-labels300-quantized.txt", "N\t10\nP@1\t0.600\nR@1\t0.600\n")]
    public void A_classifier_trained_by_fastText_predicts_and_tests_as_in_fastText(string model, string lines, string expected, string testOutput)
    {
        CliRun predict = CliRun.Of("predict", Fixture(model), Fixture(lines), "2");
        Assert.Equal(ExitCodes.Success, predict.ExitCode);
        string[] ours = predict.Output.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        string[] fastText = File.ReadAllLines(Fixture(expected));
        Assert.Equal(fastText.Length, ours.Length);
        for (int line = 0; line < ours.Length; line++)
        {
            string[] ourFields = ours[line].Split(' '), theirFields = fastText[line].Split(' ');
            Assert.Equal(theirFields.Where((_, i) => i % 2 == 0), ourFields.Where((_, i) => i % 2 == 0));
            for (int i = 1; i < ourFields.Length; i += 2)
                Assert.Equal(double.Parse(theirFields[i], CultureInfo.InvariantCulture), double.Parse(ourFields[i], CultureInfo.InvariantCulture), 5);
        }

        CliRun test = CliRun.Of("test", Fixture(model), Fixture(lines));
        Assert.Equal(ExitCodes.Success, test.ExitCode);
        Assert.Equal(testOutput, test.Output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_word_vector_model_given_to_predict_exits_2()
    {
        using var folder = new TempFolder();
        string lines = folder.Write("lines.txt", "p1 p3\n");
        CliRun run = CliRun.Of("predict", Fixture("tiny-skipgram.bin"), lines);
        BadInputTests.AssertBadInput(run, "tiny-skipgram.bin");
        Assert.Contains("not a classifier", run.Error);
    }

    [Fact]
    public void A_truncated_classifier_exits_2()
    {
        using var folder = new TempFolder();
        byte[] bytes = File.ReadAllBytes(Fixture("spam-softmax.bin"));
        string model = folder.Write("cut.bin", bytes[..(bytes.Length / 2)]);
        string test = folder.Write("test.txt", TwoTopics(4));
        CliRun run = CliRun.Of("test", model, test);
        BadInputTests.AssertBadInput(run, "cut.bin");
        Assert.Contains("truncated", run.Error);
    }

    [Fact]
    public void Test_file_without_known_labels_exits_2()
    {
        using var folder = new TempFolder();
        string model = TrainedModel(folder, "softmax");
        string test = folder.Write("other.txt", "__label__other p1 p2\n");
        BadInputTests.AssertBadInput(CliRun.Of("test", model, test), "other.txt");
    }

    [Fact]
    public void Unknown_loss_exits_2()
    {
        using var folder = new TempFolder();
        string train = folder.Write("train.txt", TwoTopics(10));
        BadInputTests.AssertBadInput(CliRun.Of("train", "classifier", "-i", train, "-o", folder.File("m"), "--loss", "ns"), "ns");
    }
}
