using System.Text;

namespace EmbedEngine.Cli.Tests;

/// <summary><c>embed train classifier</c>, <c>embed test</c> and <c>embed predict</c> end to end, and their bad input.</summary>
public sealed class ClassifierTests
{
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
        string model = folder.File("model.cls");
        CliRun run = CliRun.Of("train", "classifier", "-i", train, "-o", model, "--dim", "8", "--epoch", "10",
            "--lr", "0.5", "--wordNgrams", "2", "--bucket", "1000", "--loss", loss, "--thread", "1");
        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        Assert.Contains("2 labels", run.Output);
        return model;
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
        CliRun run = CliRun.Of("train", "classifier", "-i", train, "-o", folder.File("m.cls"));
        BadInputTests.AssertBadInput(run, "plain.txt");
        Assert.Contains("__label__", run.Error);
        Assert.False(File.Exists(folder.File("m.cls")));
    }

    [Fact]
    public void Empty_training_file_exits_2()
    {
        using var folder = new TempFolder();
        string train = folder.Write("empty.txt", "");
        BadInputTests.AssertBadInput(CliRun.Of("train", "classifier", "-i", train, "-o", folder.File("m.cls")), "empty");
    }

    [Fact]
    public void Missing_model_exits_2()
    {
        using var folder = new TempFolder();
        string test = folder.Write("test.txt", TwoTopics(4));
        BadInputTests.AssertBadInput(CliRun.Of("test", folder.File("absent.cls"), test), "absent.cls");
        BadInputTests.AssertBadInput(CliRun.Of("predict", folder.File("absent.cls"), test), "absent.cls");
    }

    [Fact]
    public void A_file_that_is_not_a_model_exits_2()
    {
        using var folder = new TempFolder();
        string junk = folder.Write("junk.cls", "this is plain text, not a model\n");
        string test = folder.Write("test.txt", TwoTopics(4));
        BadInputTests.AssertBadInput(CliRun.Of("test", junk, test), "junk.cls");
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
        BadInputTests.AssertBadInput(CliRun.Of("train", "classifier", "-i", train, "-o", folder.File("m.cls"), "--loss", "ns"), "ns");
    }
}
