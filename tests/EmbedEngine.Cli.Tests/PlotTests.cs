namespace EmbedEngine.Cli.Tests;

/// <summary><c>embed plot words|loss</c>: real pictures of vectors and of a training run, and clear errors.</summary>
public sealed class PlotTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Words_are_drawn_as_a_labelled_pca_scatter_in_svg_and_png()
    {
        string vectors = _folder.Write("vectors.txt", "cat 1 0 0\ndog 0.9 0.1 0\nstock 0 0 1\nmarket 0 0.1 0.9\n");
        string svg = _folder.File("words.svg");
        CliRun run = CliRun.Of("plot", "words", "-v", vectors, "-o", svg, "cat", "dog", "stock", "market");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("4 words, PCA of their unit vectors", run.Output, StringComparison.Ordinal);
        string xml = File.ReadAllText(svg);
        Assert.Contains("<svg", xml, StringComparison.Ordinal);
        foreach (string word in new[] { "cat", "dog", "stock", "market" }) Assert.Matches($@">\s*{word}\s*</text>", xml);

        string png = _folder.File("neighbours.png");
        run = CliRun.Of("plot", "words", "-v", vectors, "-o", png, "--neighbours", "cat", "-k", "2");
        Assert.True(run.ExitCode == 0, run.Error);
        byte[] bytes = File.ReadAllBytes(png);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        Assert.True(bytes.Length > 5000, $"a {bytes.Length}-byte PNG is too small to hold a plot");
    }

    [Fact]
    public void The_loss_curve_of_a_training_run_is_drawn_from_its_metrics()
    {
        string metrics = _folder.Write("run.jsonl",
            "{\"words\":100,\"loss\":2.5,\"validation_loss\":2.7}\n{\"words\":200,\"loss\":1.5}\n{\"words\":300,\"loss\":1.25,\"validation_loss\":1.5}\n");
        string svg = _folder.File("loss.svg");
        CliRun run = CliRun.Of("plot", "loss", "-i", metrics, "-o", svg);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("3 loss points, 2 validation points", run.Output, StringComparison.Ordinal);
        string xml = File.ReadAllText(svg);
        Assert.Matches(@">\s*training loss\s*</text>", xml);
        Assert.Matches(@">\s*validation loss\s*</text>", xml);
    }

    [Fact]
    public void Bad_input_is_a_clear_error()
    {
        string vectors = _folder.Write("vectors.txt", "cat 1 0\ndog 0 1\n");
        BadInputTests.AssertBadInput(CliRun.Of("plot", "words", "-v", vectors, "-o", _folder.File("a.jpg"), "cat", "dog"), "the picture is .png or .svg");
        BadInputTests.AssertBadInput(CliRun.Of("plot", "words", "-v", vectors, "-o", _folder.File("a.svg"), "cat", "unicorn"), "Not in the vocabulary: unicorn");
        BadInputTests.AssertBadInput(CliRun.Of("plot", "words", "-v", vectors, "-o", _folder.File("a.svg"), "cat"), "at least two words");
        string notJson = _folder.Write("bad.jsonl", "{\"words\":1,\"loss\":2}\nnot json\n");
        BadInputTests.AssertBadInput(CliRun.Of("plot", "loss", "-i", notJson, "-o", _folder.File("l.svg")), "bad.jsonl:2: not a JSON line");
        string noLoss = _folder.Write("empty.jsonl", "{\"words\":1,\"loss\":null}\n");
        BadInputTests.AssertBadInput(CliRun.Of("plot", "loss", "-i", noLoss, "-o", _folder.File("l.svg")), "holds no loss values");
        Assert.False(File.Exists(_folder.File("l.svg")));
    }
}
