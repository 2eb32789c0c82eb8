using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EmbedEngine.Evaluation;
using EmbedEngine.Models.Multimodal;
using EmbedEngine.Models.Sentence;

namespace EmbedEngine.Cli.Tests;

/// <summary>
/// <c>embed bench quality</c> on one model of each kind, trained here in seconds (word vectors, a character GPT, an
/// ELMo-like biLM, the CLIP fixture's model, a character BERT, Doc2Vec): each kind gets the columns that apply to it, with the individual
/// commands' numbers (<c>embed eval sts</c>, <c>embed eval perplexity</c>, <c>embed eval clip</c>), and a dash elsewhere;
/// the CLIP model's text tower gets the STS columns on sentences of its caption words.
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
        AssertMaskedLossMatchesEval(bert, heldOut, models[4]);
        AssertGptPerplexityMatchesEval(gpt, heldOut, models[1].GetProperty("language_model"));
        AssertBiLmPerplexityMatchesEval(elmo, heldOut, models[2].GetProperty("language_model"));
        AssertClipMatchesEval(models[3].GetProperty("image_text"));
        foreach ((JsonElement model, string[] empty) in new[]
        {
            (models[0], new[] { "language_model", "masked_token_accuracy", "image_text" }),
            (models[1], ["analogy_accuracy", "similarity_spearman", "masked_token_accuracy", "image_text"]),
            (models[2], ["masked_token_accuracy", "image_text"]),
            (models[3], ["analogy_accuracy", "similarity_spearman", "language_model", "masked_token_accuracy"]),
            (models[5], ["analogy_accuracy", "similarity_spearman", "language_model", "masked_token_accuracy", "image_text"]),
        })
            Assert.All(empty, task => Assert.Empty(model.GetProperty(task).EnumerateObject()));
        // The CLIP model reads sentences with its text tower, but the w-words are none of its caption words: no pair is covered.
        Assert.All(models[3].GetProperty("sts_spearman_x100").EnumerateObject(), group => Assert.Equal(0, group.Value.GetProperty("covered").GetInt32()));

        string markdown = File.ReadAllText(Path.Combine(report, "report.md"));
        Assert.Matches(@"\| STS12 \| [^|—]+ \| [^|—]+ \| [^|—]+ \| — \[—, —\] \(0/52\) \| [^|—]+ \| [^|—]+ \|", markdown);
        Assert.Matches(@"\| token perplexity \| — \| [0-9.]+ \(\d+/\d+\) \| — \| — \| — \| — \|", markdown);
        Assert.Matches(@"\| masked-token accuracy \| — \| — \| — \| — \| [0-9.]+ \[[0-9.]+, [0-9.]+\] \(\d+/\d+\) \| — \|", markdown);
        Assert.Matches(@"\| zero-shot top-1 \| — \| — \| — \| [0-9.]+ \[[0-9.]+, [0-9.]+\] \(\d+/20\) \| — \| — \|", markdown);
    }

    [Fact]
    public void Clip_gets_the_sts_columns_of_its_text_tower_as_embed_eval_sts_scores_them()
    {
        Assert.True(clip.Training.ExitCode == 0, clip.Training.Error);
        string[] captionWords = [.. JsonNode.Parse(File.ReadAllText(Path.Combine(clip.Model, "model.json")))!["words"]!.AsArray().Select(w => (string)w!)];
        string data = _folder.File("data");
        // "qqq" is no caption word: each SemEval file's last pair has a sentence the text tower cannot read.
        BenchDataFolder.WriteSts(data, new Random(7), captionWords, "qqq");
        string report = _folder.File("report");
        CliRun run = CliRun.Of("bench", "quality", "-m", clip.Model, "--data", data, "--bootstrap", "100", "-o", report);
        Assert.True(run.ExitCode == 0, run.Error);

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "results.json")));
        JsonElement sts = json.RootElement.GetProperty("models")[0].GetProperty("sts_spearman_x100");
        string stsFolder = Path.Combine(data, "sts");
        BenchQualityTests.AssertStsMatchesEval(["-m", clip.Model], stsFolder, sts);
        using (ClipModel model = ClipCheckpoint.Load(clip.Model))
            BenchQualityTests.AssertStsIntervalsAreTheBootstrapOfTheCosines(new ClipSentenceEncoder(model), stsFolder, 100, sts);
        Assert.Equal(50, sts.GetProperty("STS12").GetProperty("covered").GetInt32());
        Assert.Equal(25, sts.GetProperty("SICK-R").GetProperty("covered").GetInt32());
        Assert.Matches(@"\| STS12 \| -?[0-9.]+ \[-?[0-9.]+, -?[0-9.]+\] \(50/52\) \|", File.ReadAllText(Path.Combine(report, "report.md")));
        BadInputTests.AssertBadInput(CliRun.Of("eval", "sts", "-m", clip.Model, "--pooling", "cls", "--data", stsFolder), "--pooling and --layer do not apply");
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

    /// <summary>The loss and the accuracy with its interval (the bench's 100 resamples, seed 1) are the command's.</summary>
    private static void AssertMaskedLossMatchesEval(string model, string text, JsonElement figures)
    {
        CliRun eval = CliRun.Of("eval", "perplexity", "-m", model, "-i", text, "--bootstrap", "100");
        Assert.True(eval.ExitCode == 0, eval.Error);
        Match line = MaskedLine().Match(eval.Output);
        Assert.True(line.Success, eval.Output);
        JsonElement loss = figures.GetProperty("language_model").GetProperty("masked-token loss (nats)");
        Assert.Equal(line.Groups["loss"].Value, Format(loss, "F4"));
        Assert.Equal(line.Groups["masked"].Value, loss.GetProperty("covered").GetInt32().ToString(CultureInfo.InvariantCulture));

        JsonElement accuracy = figures.GetProperty("masked_token_accuracy").GetProperty("masked-token accuracy");
        Assert.Equal(line.Groups["accuracy"].Value, Percent(accuracy));
        Assert.Equal(line.Groups["lower"].Value, (100 * accuracy.GetProperty("ci_lower").GetDouble()).ToString("F2", CultureInfo.InvariantCulture));
        Assert.Equal(line.Groups["upper"].Value, (100 * accuracy.GetProperty("ci_upper").GetDouble()).ToString("F2", CultureInfo.InvariantCulture));
        int correct = int.Parse(line.Groups["correct"].Value, CultureInfo.InvariantCulture), masked = loss.GetProperty("covered").GetInt32();
        Assert.Equal((double)correct / masked, accuracy.GetProperty("value").GetDouble(), 1e-12);
        // The interval resamples the masked positions: Bootstrap.Accuracy on the counts, with the run's seed and resamples.
        ConfidenceInterval interval = Bootstrap.Accuracy(correct, masked, 100, 1);
        Assert.Equal(interval.Lower, accuracy.GetProperty("ci_lower").GetDouble());
        Assert.Equal(interval.Upper, accuracy.GetProperty("ci_upper").GetDouble());
        Assert.True(interval.Lower < interval.Upper, $"a degenerate interval: {correct}/{masked} right");
        Assert.Equal(masked, accuracy.GetProperty("covered").GetInt32());
        Assert.Equal(loss.GetProperty("total").GetInt32(), accuracy.GetProperty("total").GetInt32());
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

    [GeneratedRegex(@"masked tokens (?<masked>\d+): loss (?<loss>[0-9.]+) nats/token, accuracy (?<accuracy>[0-9.]+)% \[(?<lower>[0-9.]+), (?<upper>[0-9.]+)\] \((?<correct>\d+)/\k<masked>\)")]
    private static partial Regex MaskedLine();

    [GeneratedRegex(@"tokens (?<tokens>\d+), (?<predicted>\d+) predicted: loss [0-9.]+ nats/token, perplexity (?<perplexity>[0-9.]+)")]
    private static partial Regex TokenLine();

    [GeneratedRegex(@"forward: loss [0-9.]+ nats/word, perplexity (?<forward>[0-9.]+); backward: loss [0-9.]+, perplexity (?<backward>[0-9.]+)")]
    private static partial Regex BiLmLine();
}
