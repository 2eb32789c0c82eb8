using System.Globalization;
using System.Text.RegularExpressions;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.IO;

namespace EmbedEngine.Cli.Tests;

/// <summary><c>embed train elmo</c>, <c>embed contextual</c> and the biLM's <c>embed eval perplexity</c> on a tiny model.</summary>
public sealed partial class ElmoTests : IDisposable
{
    private const string Text = "the quick brown fox jumps over the lazy dog\nthe lazy dog sleeps all day\n";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [GeneratedRegex(@"^iter (\d+): val loss forward ([0-9.]+) backward ([0-9.]+)", RegexOptions.Multiline)]
    private static partial Regex ValidationLine();

    private CliRun Train(string output, params string[] changes) => CliRun.Of(TrainArguments(output, changes));

    /// <summary>The arguments of a tiny model's run (dimension 16, 40 iterations); <paramref name="changes"/> replace or add options.</summary>
    private string[] TrainArguments(string output, params string[] changes)
    {
        var options = new Dictionary<string, string>
        {
            ["-i"] = _folder.Write("corpus.txt", string.Concat(Enumerable.Repeat(Text, 40))), ["--dim"] = "16", ["--cells"] = "24", ["--context"] = "8", ["--batch"] = "8",
            ["--iters"] = "40", ["--eval-interval"] = "20", ["--warmup"] = "2", ["--lr"] = "0.02", ["--min-count"] = "2", ["--buckets"] = "200",
            ["--threads"] = "1", ["-o"] = output,
        };
        for (int i = 0; i < changes.Length; i += 2) options[changes[i]] = changes[i + 1];
        return ["train", "elmo", .. options.SelectMany(o => new[] { o.Key, o.Value })];
    }

    [Fact]
    public void Train_elmo_writes_a_model_whose_contextual_vectors_and_perplexities_come_out()
    {
        string model = _folder.File("elmo");
        CliRun run = Train(model);
        Assert.True(run.ExitCode == 0, run.Error);
        MatchCollection validations = ValidationLine().Matches(run.Output);
        Assert.Equal(["0", "20", "40"], validations.Select(m => m.Groups[1].Value));
        double Loss(int point, int direction) => double.Parse(validations[point].Groups[direction].Value, CultureInfo.InvariantCulture);
        Assert.True(Loss(2, 2) < Loss(0, 2) - 0.5 && Loss(2, 3) < Loss(0, 3) - 0.5, run.Output);
        Assert.Contains("\"format\": \"embedengine-bilm\"", File.ReadAllText(Path.Combine(model, "model.json")), StringComparison.Ordinal);

        string vectors = _folder.File("vectors.txt");
        CliRun contextual = CliRun.Of("contextual", "-m", model, "-i", _folder.Write("sentences.txt", "the zebra sleeps\n\nthe dog\n"), "-o", vectors, "--layer", "1");
        Assert.True(contextual.ExitCode == 0, contextual.Error);
        Assert.Contains("wrote 5 vectors of 32 for 2 sentences", contextual.Output, StringComparison.Ordinal);
        string[] lines = File.ReadAllLines(vectors);
        Assert.Equal(["the", "zebra", "sleeps", "", "the", "dog", ""], lines.Select(l => l.Split(' ')[0]));
        Assert.All(lines.Where(l => l.Length > 0), l => Assert.Equal(33, l.Split(' ').Length));
        Assert.NotEqual(lines[0][4..], lines[4][4..]); // "the" in two contexts

        CliRun perplexity = CliRun.Of("eval", "perplexity", "-m", model, "-i", _folder.Write("held-out.txt", Text + "a zebra\n"));
        Assert.True(perplexity.ExitCode == 0, perplexity.Error);
        Assert.Matches(@"words 20 \(19 predicted per direction, [0-9.]+% outside the \d+-word vocabulary", perplexity.Output);
        Assert.Matches(@"forward: loss [0-9.]+ nats/word, perplexity [0-9.]+; backward: loss [0-9.]+, perplexity [0-9.]+", perplexity.Output);
    }

    [Fact]
    public void Train_elmo_on_the_emulated_gpu_writes_a_model_the_cpu_scores_alike()
    {
        string model = _folder.File("elmo"), heldOut = _folder.Write("held-out.txt", Text + "a zebra\n");
        // One small layer over short windows: the emulated device runs every kernel on the host, slowly.
        CliRun run = Train(model, "--dim", "8", "--cells", "12", "--layers", "1", "--context", "4", "--iters", "2", "--eval-interval", "2", "--batch", "2",
            "--validation", heldOut, "--device", "emulated");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("device emulated", run.Error, StringComparison.Ordinal);
        MatchCollection validations = ValidationLine().Matches(run.Output);
        Assert.Equal(["0", "2"], validations.Select(m => m.Groups[1].Value));
        double Loss(int point, int direction) => double.Parse(validations[point].Groups[direction].Value, CultureInfo.InvariantCulture);
        Assert.True(Loss(1, 2) < Loss(0, 2) && Loss(1, 3) < Loss(0, 3), run.Output);
        // The last validation ran on the device after the last update; the CPU reads the saved model and scores the same words.
        CliRun perplexity = CliRun.Of("eval", "perplexity", "-m", model, "-i", heldOut);
        Assert.True(perplexity.ExitCode == 0, perplexity.Error);
        Match cpu = Regex.Match(perplexity.Output, @"forward: loss ([0-9.]+) nats/word, perplexity [0-9.]+; backward: loss ([0-9.]+)");
        Assert.True(cpu.Success, perplexity.Output);
        // Both print 4 decimals; the two evaluations differ only in summation order.
        Assert.InRange(double.Parse(cpu.Groups[1].Value, CultureInfo.InvariantCulture), Loss(1, 2) - 2e-4, Loss(1, 2) + 2e-4);
        Assert.InRange(double.Parse(cpu.Groups[2].Value, CultureInfo.InvariantCulture), Loss(1, 3) - 2e-4, Loss(1, 3) + 2e-4);
    }

    [Fact]
    public void Eval_sts_scores_word_vectors_and_an_elmo_model_by_group()
    {
        string data = _folder.File("sts");
        Directory.CreateDirectory(Path.Combine(data, "2013"));
        File.WriteAllText(Path.Combine(data, "2013", "headlines.test.tsv"), "5\tthe lazy dog\tthe lazy dog\n1\tthe quick fox\tthe dog sleeps all day\n3\tthe dog\tthe lazy dog\n");
        string vectors = _folder.Write("vectors.txt", "the 1 0\nlazy 0 1\ndog 1 1\nfox 1 -1\n");
        CliRun run = CliRun.Of("eval", "sts", "-v", vectors, "--data", data);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Matches(@"STS13\s+headlines.test.tsv\s+3 pairs  Spearman\s+[-0-9.]+  Pearson\s+[-0-9.]+", run.Output);
        Assert.Contains("STS13   mean of 1 files:", run.Output, StringComparison.Ordinal);
        run = CliRun.Of("eval", "sts", "-v", vectors, "--pooling", "sif", "--corpus", _folder.Write("sif.txt", Text), "--data", data);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("STS13   mean of 1 files:", run.Output, StringComparison.Ordinal);
        BadInputTests.AssertBadInput(CliRun.Of("eval", "sts", "-v", vectors, "--pooling", "sif", "--data", data), "--pooling sif needs --corpus");
        BadInputTests.AssertBadInput(CliRun.Of("eval", "sts", "-v", vectors, "--pooling", "max", "--data", data), "--pooling takes mean, sif, tfidf or fasttext for word vectors; got 'max'");

        string model = _folder.File("elmo");
        Assert.Equal(0, Train(model, "--iters", "2").ExitCode);
        run = CliRun.Of("eval", "sts", "-m", model, "--layer", "1", "--data", data);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("weighted by 3 pairs", run.Output, StringComparison.Ordinal);

        BadInputTests.AssertBadInput(CliRun.Of("eval", "sts", "--data", data), "Give one of --vectors (word vectors), --model");
        File.WriteAllText(Path.Combine(data, "2013", "FNWN.test.tsv"), "7\ta\tb\n");
        BadInputTests.AssertBadInput(CliRun.Of("eval", "sts", "-v", vectors, "--data", data), "FNWN.test.tsv:1: the score 7 is outside [0, 5].");
    }

    [Theory]
    [InlineData("the 1 0\nlazy 0 1 1\n", "bad-vectors.txt:2: expected 2 values after 'lazy', found 3")] // a row wider than the first
    [InlineData("2 3\nthe 1 0\nlazy 0 1\n", "bad-vectors.txt:2: expected 3 values after 'the', found 2")] // rows narrower than the header says
    public void Eval_sts_refuses_vectors_whose_rows_disagree_with_their_dimension(string vectors, string expected)
    {
        string data = _folder.File("sts-bad");
        Directory.CreateDirectory(Path.Combine(data, "2014"));
        File.WriteAllText(Path.Combine(data, "2014", "images.test.tsv"), "5\tthe lazy dog\tthe lazy dog\n1\tthe dog\tlazy\n");
        BadInputTests.AssertBadInput(CliRun.Of("eval", "sts", "-v", _folder.Write("bad-vectors.txt", vectors), "--data", data), expected);
        File.WriteAllText(Path.Combine(data, "2014", "images.test.tsv"), "5\tthe lazy dog\n");
        BadInputTests.AssertBadInput(CliRun.Of("eval", "sts", "-v", _folder.Write("good.txt", "the 1 0\n"), "--data", data), "images.test.tsv:1");
    }

    [Fact]
    public void Bad_elmo_input_is_refused_with_its_reason()
    {
        BadInputTests.AssertBadInput(Train(_folder.File("a"), "-i", _folder.File("absent.txt")), "absent.txt");
        BadInputTests.AssertBadInput(Train(_folder.File("b"), "--minn", "5", "--maxn", "4"), "minn <= maxn");
        Assert.False(Directory.Exists(_folder.File("a")) || Directory.Exists(_folder.File("b")));

        string model = _folder.File("elmo");
        Assert.Equal(0, Train(model, "--iters", "2").ExitCode);
        BadInputTests.AssertBadInput(CliRun.Of("contextual", "-m", model, "-i", _folder.Write("s.txt", "the dog\n"), "-o", _folder.File("v.txt"), "--layer", "3"), "--layer takes 0 … 2 or mix");
        BadInputTests.AssertBadInput(CliRun.Of("contextual", "-m", model, "-i", _folder.Write("blank.txt", " \n\n"), "-o", _folder.File("v.txt")), "has no words");
        Assert.False(File.Exists(_folder.File("v.txt")));
        string tensors = Path.Combine(model, "model.safetensors");
        using (SafetensorsContents contents = SafetensorsFile.Load(tensors))
        using (Tensor narrower = Tensor.Zeros(64, 15))
            SafetensorsFile.Save(tensors, contents.Tensors.Select(t => t.Key == "forward.l1.weight_hh_l0" ? new KeyValuePair<string, Tensor>(t.Key, narrower) : t).ToList());
        BadInputTests.AssertBadInput(CliRun.Of("eval", "perplexity", "-m", model, "-i", _folder.Write("t.txt", Text)), "'forward.l1.weight_hh_l0' has shape [64, 15]");
    }
}
