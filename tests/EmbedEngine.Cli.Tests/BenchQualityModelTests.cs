using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EmbedEngine.Cli.Tests;

/// <summary>
/// <c>embed bench quality</c> on one model of each kind, trained here in seconds (word vectors, a character GPT, an
/// ELMo-like biLM, the CLIP fixture's model, a character BERT, Doc2Vec): each kind gets the columns that apply to it, with the individual
/// commands' numbers (<c>embed eval sts</c>, <c>embed eval perplexity</c>, <c>embed eval clip</c>), and a dash elsewhere.
/// </summary>
public sealed partial class BenchQualityModelTests(ClipFolder clip) : IClassFixture<ClipFolder>, IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Every_kind_gets_the_commands_figures_and_a_dash_where_a_column_does_not_apply()
    {
        Assert.True(clip.Training.ExitCode == 0, clip.Training.Error);
        var random = new Random(5);
        string data = _folder.File("data");
        BenchDataFolder.Write(data, random);
        // The bench reads the digits from mnist-10k/ under its data folder, as 'embed eval clip --data' reads them from the fixture's folder.
        Directory.CreateDirectory(Path.Combine(data, "mnist-10k"));
        foreach (string file in Directory.GetFiles(clip.Data.Path)) File.Copy(file, Path.Combine(data, "mnist-10k", Path.GetFileName(file)));
        string corpus = _folder.Write("corpus.txt", BenchDataFolder.Text(random, 300));
        string heldOut = _folder.Write("held-out.txt", BenchDataFolder.Text(random, 20));
        string vectors = _folder.Write("vectors.txt", string.Concat(Enumerable.Range(0, BenchDataFolder.Words).Select(i =>
            $"w{i} {random.NextDouble():F4} {random.NextDouble():F4} {random.NextDouble() - 0.5:F4}\n")));
        string gpt = Train("gpt", "-i", corpus, "--layers", "1", "--heads", "2", "--dim", "16", "--context", "16", "--batch", "2", "--iters", "2");
        string elmo = Train("elmo", "-i", corpus, "--layers", "1", "--dim", "8", "--cells", "12", "--context", "4", "--batch", "2", "--iters", "2",
            "--eval-interval", "2", "--min-count", "2", "--buckets", "200");
        string bert = Train("bert", "-i", corpus, "--layers", "1", "--heads", "2", "--dim", "16", "--context", "16", "--batch", "2", "--iters", "2");
        string doc2vec = _folder.File("d2v.st");
        CliRun paragraphs = CliRun.Of("train", "doc2vec", "-i", corpus, "-o", doc2vec, "--vector-size", "8", "--min-count", "1", "--epochs", "2", "--workers", "1");
        Assert.True(paragraphs.ExitCode == 0, paragraphs.Error);

        string report = _folder.File("report");
        CliRun run = CliRun.Of("bench", "quality", "-m", vectors, "-m", gpt, "-m", elmo, "-m", clip.Model, "-m", bert, "-m", doc2vec, "--data", data, "--lm-text", heldOut,
            "--bootstrap", "100", "-o", report);
        Assert.True(run.ExitCode == 0, run.Error);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "results.json")));
        JsonElement[] models = [.. json.RootElement.GetProperty("models").EnumerateArray()];
        Assert.Equal(["word vectors", "GPT-like language model", "ELMo-like biLM", "CLIP-like image-text model", "BERT-like language model", "Doc2Vec"],
            models.Select(m => m.GetProperty("kind").GetString()));
        Assert.All(models, m => Assert.Empty(m.GetProperty("notes").EnumerateArray()));
        Assert.Equal(heldOut, json.RootElement.GetProperty("held_out_text").GetString());

        string sts = Path.Combine(data, "sts");
        BenchQualityTests.AssertStsMatchesEval(["-v", vectors], sts, models[0].GetProperty("sts_spearman_x100"));
        BenchQualityTests.AssertStsMatchesEval(["-m", gpt], sts, models[1].GetProperty("sts_spearman_x100"));
        BenchQualityTests.AssertStsMatchesEval(["-m", elmo], sts, models[2].GetProperty("sts_spearman_x100"));
        BenchQualityTests.AssertStsMatchesEval(["-m", bert], sts, models[4].GetProperty("sts_spearman_x100"));
        BenchQualityTests.AssertStsMatchesEval(["--doc2vec", doc2vec], sts, models[5].GetProperty("sts_spearman_x100"));
        AssertMaskedLossMatchesEval(bert, heldOut, models[4].GetProperty("language_model"));
        AssertGptPerplexityMatchesEval(gpt, heldOut, models[1].GetProperty("language_model"));
        AssertBiLmPerplexityMatchesEval(elmo, heldOut, models[2].GetProperty("language_model"));
        AssertClipMatchesEval(models[3].GetProperty("image_text"));
        foreach ((JsonElement model, string[] empty) in new[]
        {
            (models[0], new[] { "language_model", "image_text" }),
            (models[1], ["analogy_accuracy", "similarity_spearman", "image_text"]),
            (models[3], ["analogy_accuracy", "similarity_spearman", "sts_spearman_x100", "transfer_accuracy", "language_model"]),
            (models[5], ["analogy_accuracy", "similarity_spearman", "language_model", "image_text"]),
        })
            Assert.All(empty, task => Assert.Empty(model.GetProperty(task).EnumerateObject()));

        string markdown = File.ReadAllText(Path.Combine(report, "report.md"));
        Assert.Matches(@"\| STS12 \| [^|—]+ \| [^|—]+ \| [^|—]+ \| — \| [^|—]+ \| [^|—]+ \|", markdown);
        Assert.Matches(@"\| token perplexity \| — \| [0-9.]+ \(\d+/\d+\) \| — \| — \| — \| — \|", markdown);
        Assert.Matches(@"\| zero-shot top-1 \| — \| — \| — \| [0-9.]+ \[[0-9.]+, [0-9.]+\] \(\d+/20\) \| — \| — \|", markdown);
    }

    private string Train(string kind, params string[] options)
    {
        string model = _folder.File(kind);
        CliRun run = CliRun.Of(["train", kind, .. options, "--threads", "1", "-o", model]);
        Assert.True(run.ExitCode == 0, run.Error);
        return model;
    }

    private static void AssertGptPerplexityMatchesEval(string model, string text, JsonElement figures)
    {
        CliRun eval = CliRun.Of("eval", "perplexity", "-m", model, "-i", text);
        Assert.True(eval.ExitCode == 0, eval.Error);
        Match line = TokenLine().Match(eval.Output);
        Assert.True(line.Success, eval.Output);
        JsonElement perToken = figures.GetProperty("token perplexity");
        Assert.Equal(line.Groups["perplexity"].Value, Format(perToken, "F3"));
        Assert.Equal(int.Parse(line.Groups["predicted"].Value, CultureInfo.InvariantCulture), perToken.GetProperty("covered").GetInt32());
        Assert.Equal(int.Parse(line.Groups["tokens"].Value, CultureInfo.InvariantCulture), perToken.GetProperty("total").GetInt32());
        Assert.Equal(JsonValueKind.Null, perToken.GetProperty("ci_lower").ValueKind);
        // A character model: bits per character, not per-word perplexity.
        Assert.Equal(Regex.Match(eval.Output, @"bits per character ([0-9.]+)").Groups[1].Value, Format(figures.GetProperty("bits per character"), "F4"));
    }

    private static void AssertBiLmPerplexityMatchesEval(string model, string text, JsonElement figures)
    {
        CliRun eval = CliRun.Of("eval", "perplexity", "-m", model, "-i", text);
        Assert.True(eval.ExitCode == 0, eval.Error);
        Match line = BiLmLine().Match(eval.Output);
        Assert.True(line.Success, eval.Output);
        Assert.Equal(line.Groups["forward"].Value, Format(figures.GetProperty("forward word perplexity"), "F2"));
        Assert.Equal(line.Groups["backward"].Value, Format(figures.GetProperty("backward word perplexity"), "F2"));
    }

    private static void AssertMaskedLossMatchesEval(string model, string text, JsonElement figures)
    {
        CliRun eval = CliRun.Of("eval", "perplexity", "-m", model, "-i", text);
        Assert.True(eval.ExitCode == 0, eval.Error);
        Match line = Regex.Match(eval.Output, @"masked tokens (\d+): loss ([0-9.]+) nats/token");
        Assert.True(line.Success, eval.Output);
        JsonElement loss = figures.GetProperty("masked-token loss (nats)");
        Assert.Equal(line.Groups[2].Value, Format(loss, "F4"));
        Assert.Equal(line.Groups[1].Value, loss.GetProperty("covered").GetInt32().ToString(CultureInfo.InvariantCulture));
    }

    private void AssertClipMatchesEval(JsonElement figures)
    {
        CliRun eval = CliRun.Of("eval", "clip", "-m", clip.Model, "--data", clip.Data.Path);
        Assert.True(eval.ExitCode == 0, eval.Error);
        Match zeroShot = Regex.Match(eval.Output, @"zero-shot top-1: ([0-9.]+)% \((\d+)/(\d+)\)");
        JsonElement top1 = figures.GetProperty("zero-shot top-1");
        Assert.Equal(zeroShot.Groups[1].Value, Percent(top1));
        Assert.Equal(zeroShot.Groups[3].Value, top1.GetProperty("total").GetInt32().ToString(CultureInfo.InvariantCulture));
        foreach (string direction in new[] { "image->text", "text->image" })
        {
            MatchCollection recalls = Regex.Matches(Regex.Match(eval.Output, $"^{direction}.*$", RegexOptions.Multiline).Value, @"R@(\d+) ([0-9.]+)%");
            Assert.Equal(3, recalls.Count);
            foreach (Match recall in recalls)
                Assert.Equal(recall.Groups[2].Value, Percent(figures.GetProperty($"{direction} R@{recall.Groups[1].Value}")));
        }
        Assert.Equal(Regex.Match(eval.Output, @"linear probe: train [0-9.]+%, test ([0-9.]+)%").Groups[1].Value, Percent(figures.GetProperty("linear probe (test)")));
        Assert.Equal(8, figures.EnumerateObject().Count());
        Assert.All(figures.EnumerateObject(), f => Assert.InRange(f.Value.GetProperty("value").GetDouble(),
            f.Value.GetProperty("ci_lower").GetDouble(), f.Value.GetProperty("ci_upper").GetDouble()));
    }

    private static string Percent(JsonElement figure) => (100 * figure.GetProperty("value").GetDouble()).ToString("F2", CultureInfo.InvariantCulture);

    private static string Format(JsonElement figure, string format) => figure.GetProperty("value").GetDouble().ToString(format, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"tokens (?<tokens>\d+), (?<predicted>\d+) predicted: loss [0-9.]+ nats/token, perplexity (?<perplexity>[0-9.]+)")]
    private static partial Regex TokenLine();

    [GeneratedRegex(@"forward: loss [0-9.]+ nats/word, perplexity (?<forward>[0-9.]+); backward: loss [0-9.]+, perplexity (?<backward>[0-9.]+)")]
    private static partial Regex BiLmLine();
}
