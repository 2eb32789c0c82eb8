using System.Globalization;

namespace EmbedEngine.Cli.Tests;

/// <summary><c>embed train simcse</c>: a tiny BPE BERT fine-tuned without and with labels, then read by <c>embed encode</c>.</summary>
public sealed partial class SimCseTests : IDisposable
{
    private const string Corpus = "the quick brown fox jumps over the lazy dog\na lazy dog sleeps in the sun all day long\nthe fox runs quick and brown over hills\n";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Text() => _folder.Write("corpus.txt", string.Concat(Enumerable.Repeat(Corpus, 20)));

    /// <summary>A tiny BERT-like checkpoint with a BPE tokenizer whose own folder is deleted afterwards.</summary>
    private string TinyBert()
    {
        string tokenizer = _folder.File("bpe"), model = _folder.File("bert");
        Assert.Equal(0, CliRun.Of("train", "bpe", "-i", Text(), "-o", tokenizer, "--vocab-size", "280").ExitCode);
        CliRun run = CliRun.Of("train", "bert", "-i", Text(), "--tokenizer", "bpe", "--vocab", Path.Combine(tokenizer, "vocab.json"),
            "--merges", Path.Combine(tokenizer, "merges.txt"), "--layers", "1", "--heads", "2", "--dim", "16", "--context", "16", "--batch", "4",
            "--iters", "4", "--eval-interval", "4", "--threads", "1", "-o", model);
        Assert.True(run.ExitCode == 0, run.Error);
        Directory.Delete(tokenizer, recursive: true);
        return model;
    }

    private CliRun FineTune(string model, string output, params string[] source) => FineTune(model, output, steps: 6, source);

    private CliRun FineTune(string model, string output, int steps, params string[] source) =>
        CliRun.Of(["train", "simcse", "-m", model, .. source, "-o", output, "--steps", steps.ToString(CultureInfo.InvariantCulture), "--batch", "4",
            "--max-words", "5", "--threads", "1"]);

    /// <summary>The vectors <c>embed encode</c> (on the CPU) gives <paramref name="model"/> for two sentences.</summary>
    private float[][] Encode(string model)
    {
        string vectors = _folder.File(Path.GetFileName(model) + ".txt");
        CliRun encode = CliRun.Of("encode", "-m", model, "-i", _folder.Write("s.txt", "the lazy dog\nthe fox\n"), "-o", vectors);
        Assert.True(encode.ExitCode == 0, encode.Error);
        return [.. File.ReadAllLines(vectors).Select(line => line.Split(' ').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray())];
    }

    [Fact]
    public void Fine_tuning_on_the_emulated_gpu_saves_the_model_the_cpu_run_saves()
    {
        string bert = TinyBert(), onCpu = _folder.File("cpu"), onDevice = _folder.File("device");
        string[] source = ["-i", Text()];
        // Two steps: the emulated device runs every kernel on the host, slowly.
        CliRun cpu = FineTune(bert, onCpu, steps: 2, source), device = FineTune(bert, onDevice, steps: 2, [.. source, "--device", "emulated"]);
        Assert.True(cpu.ExitCode == 0, cpu.Error);
        Assert.True(device.ExitCode == 0, device.Error);
        Assert.Contains("device emulated", device.Error, StringComparison.Ordinal);
        float[][] expected = Encode(onCpu), actual = Encode(onDevice);
        Assert.Equal(2, actual.Length);
        Assert.NotEqual(expected[0], Encode(bert)[0]); // the fine-tuning moved the weights
        for (int s = 0; s < expected.Length; s++)
        {
            Assert.Equal(16, actual[s].Length);
            for (int i = 0; i < expected[s].Length; i++) Assert.True(Math.Abs(expected[s][i] - actual[s][i]) <= 1e-3f, $"sentence {s}, component {i}: CPU {expected[s][i]}, GPU {actual[s][i]}");
        }
    }

    [Fact]
    public void Unsupervised_and_supervised_runs_write_checkpoints_that_encode()
    {
        string bert = TinyBert(), unsupervised = _folder.File("unsup"), supervised = _folder.File("sup");
        CliRun run = FineTune(bert, unsupervised, "-i", Text());
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("120 examples (0 with a hard negative)", run.Error, StringComparison.Ordinal); // 60 lines of 9 words, cut 5 + 4
        Assert.Matches(@"trained 24 pairs in [0-9.]+ s", run.Output);
        Assert.True(File.Exists(Path.Combine(unsupervised, "merges.txt")), "the tokenizer travels with the fine-tuned model");
        run = FineTune(bert, _folder.File("next"), "-i", Text(), "--positive", "next");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("60 examples (0 with a hard negative)", run.Error, StringComparison.Ordinal); // each line's first run pairs with its second

        string pairs = _folder.Write("pairs.tsv", "the lazy dog\ta dog sleeps\tthe fox runs\nthe quick fox\tbrown fox jumps\n" +
            "the sun\tall day long\nover hills\tover the dog\tthe sun all day\n");
        run = FineTune(unsupervised, supervised, "--pairs", pairs);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("4 examples (2 with a hard negative)", run.Error, StringComparison.Ordinal);

        string vectors = _folder.File("v.txt");
        CliRun encode = CliRun.Of("encode", "-m", supervised, "-i", _folder.Write("s.txt", "the lazy dog\nthe fox\n"), "-o", vectors);
        Assert.True(encode.ExitCode == 0, encode.Error);
        string[] lines = File.ReadAllLines(vectors);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.Equal(16, l.Split(' ').Length));
        Assert.NotEqual(lines[0], lines[1]);
    }

    [Fact]
    public void Bad_sources_models_and_pair_files_are_bad_input()
    {
        string bert = TinyBert();
        BadInputTests.AssertBadInput(FineTune(bert, _folder.File("a"), "-i", Text(), "--pairs", Text()), "exactly one of --input");
        BadInputTests.AssertBadInput(FineTune(bert, _folder.File("b")), "exactly one of --input");
        BadInputTests.AssertBadInput(FineTune(bert, _folder.File("c"), "--pairs", _folder.Write("one.tsv", "the dog\tthe fox\nonly one column\n")), "one.tsv:2");
        BadInputTests.AssertBadInput(FineTune(bert, _folder.File("d"), "--sick", _folder.Write("sick.txt", "pair_ID\tsentence_A\tsentence_B\n")), "entailment_judgment");
        BadInputTests.AssertBadInput(FineTune(bert, _folder.File("e"), "-i", _folder.Write("few.txt", "the dog\n")), "a batch needs 4");
        BadInputTests.AssertBadInput(FineTune(_folder.File("absent"), _folder.File("f"), "-i", Text()), "absent");
        Assert.False(Directory.Exists(_folder.File("e")));
    }
}
