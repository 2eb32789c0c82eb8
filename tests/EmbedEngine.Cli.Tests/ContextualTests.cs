using System.Globalization;
using System.Text.RegularExpressions;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.IO;

namespace EmbedEngine.Cli.Tests;

/// <summary><c>embed train gpt/bert/char-lm</c>, <c>embed generate</c> and <c>embed eval perplexity</c> on tiny models.</summary>
public sealed partial class ContextualTests : IDisposable
{
    private const string Sentence = "the quick brown fox jumps over the lazy dog. ";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [GeneratedRegex(@"^iter (\d+): val loss ([0-9.]+)", RegexOptions.Multiline)]
    private static partial Regex ValidationLine();

    private string Corpus(int repeats = 40) => _folder.Write("corpus.txt", string.Concat(Enumerable.Repeat(Sentence, repeats)));

    /// <summary>A tiny model: 1 layer, dimension 16, context 16, a few iterations; <paramref name="changes"/> are option-value pairs that replace or add to these.</summary>
    private CliRun Train(string kind, string output, params string[] changes) => CliRun.Of(TrainArguments(kind, output, changes));

    /// <summary>The arguments <see cref="Train"/> runs.</summary>
    private string[] TrainArguments(string kind, string output, params string[] changes)
    {
        var options = new Dictionary<string, string>
        {
            ["-i"] = Corpus(), ["--layers"] = "1", ["--heads"] = "2", ["--dim"] = "16", ["--context"] = "16", ["--batch"] = "4",
            ["--iters"] = "20", ["--eval-interval"] = "10", ["--warmup"] = "2", ["--lr"] = "0.01", ["--threads"] = "1", ["-o"] = output,
        };
        for (int i = 0; i < changes.Length; i += 2) options[changes[i]] = changes[i + 1];
        return ["train", kind, .. options.SelectMany(o => new[] { o.Key, o.Value })];
    }

    private string TrainedGpt()
    {
        string model = _folder.File("gpt");
        CliRun run = Train("gpt", model);
        Assert.True(run.ExitCode == 0, run.Error);
        return model;
    }

    [Fact]
    public void Train_gpt_prints_each_validation_loss_and_writes_a_checkpoint_that_generates_and_evaluates()
    {
        string model = _folder.File("gpt");
        CliRun run = Train("gpt", model, "--metrics", _folder.File("metrics.jsonl"));
        Assert.True(run.ExitCode == 0, run.Error);
        MatchCollection validations = ValidationLine().Matches(run.Output);
        Assert.Equal(["0", "10", "20"], validations.Select(m => m.Groups[1].Value));
        double first = double.Parse(validations[0].Groups[2].Value, CultureInfo.InvariantCulture);
        double last = double.Parse(validations[2].Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.InRange(first, Math.Log(28) - 0.3, Math.Log(28) + 0.3); // 28 distinct characters
        Assert.True(last < first - 0.3, run.Output);
        Assert.Contains("tokens/s, validation excluded", run.Output, StringComparison.Ordinal);
        Assert.Contains("validation_loss", File.ReadAllText(_folder.File("metrics.jsonl")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(model, "model.safetensors")));
        Assert.Contains("\"kind\": \"gpt\"", File.ReadAllText(Path.Combine(model, "model.json")), StringComparison.Ordinal);

        CliRun generated = CliRun.Of("generate", "-m", model, "--prompt", "the ", "-n", "40", "--seed", "3");
        Assert.True(generated.ExitCode == 0, generated.Error);
        Assert.StartsWith("the ", generated.Output, StringComparison.Ordinal);
        Assert.Equal(44, generated.Output.TrimEnd('\n').Length);
        Assert.Contains("ms/token", generated.Error, StringComparison.Ordinal);
        Assert.Equal(generated.Output, CliRun.Of("generate", "-m", model, "--prompt", "the ", "-n", "40", "--seed", "3").Output);

        CliRun perplexity = CliRun.Of("eval", "perplexity", "-m", model, "-i", _folder.Write("held-out.txt", Sentence + Sentence));
        Assert.True(perplexity.ExitCode == 0, perplexity.Error);
        Assert.Matches(@"tokens [0-9]+, 84 predicted: loss [0-9.]+ nats/token, perplexity [0-9.]+", perplexity.Output);
        Assert.Matches(@"bits per character [0-9.]+", perplexity.Output);
    }

    [Fact]
    public void Train_bert_reports_masked_token_accuracy_and_trains_further_from_its_checkpoint()
    {
        string model = _folder.File("bert");
        CliRun run = Train("bert", model);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(3, ValidationLine().Count(run.Output));
        Assert.Matches(@"iter 20: val loss [0-9.]+, masked-token accuracy [0-9.]+%", run.Output);

        string further = _folder.File("bert2");
        run = Train("bert", further, "--init", model, "--layers", "3");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("bert, 1 layers", run.Error, StringComparison.Ordinal); // the checkpoint's shape, not --layers
        CliRun perplexity = CliRun.Of("eval", "perplexity", "-m", further, "-i", Corpus(3));
        Assert.True(perplexity.ExitCode == 0, perplexity.Error);
        Assert.Matches(@"masked tokens \d+: loss [0-9.]+ nats/token, accuracy [0-9.]+%", perplexity.Output);
        BadInputTests.AssertBadInput(CliRun.Of("generate", "-m", further, "--prompt", "the"), "Only a causal model generates text");
        BadInputTests.AssertBadInput(Train("gpt", _folder.File("wrong"), "--init", model), "holds a bert model, not a gpt model");
        Assert.False(Directory.Exists(_folder.File("wrong")));
    }

    [Fact]
    public void A_bpe_model_keeps_its_tokenizer_files_and_reports_per_word_perplexity()
    {
        string tokenizer = _folder.File("bpe");
        CliRun bpe = CliRun.Of("train", "bpe", "-i", Corpus(), "-o", tokenizer, "--vocab-size", "300");
        Assert.True(bpe.ExitCode == 0, bpe.Error);
        string model = _folder.File("gpt-bpe");
        CliRun run = Train("gpt", model, "--tokenizer", "bpe", "--vocab", Path.Combine(tokenizer, "vocab.json"), "--merges", Path.Combine(tokenizer, "merges.txt"));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(File.ReadAllBytes(Path.Combine(tokenizer, "merges.txt")), File.ReadAllBytes(Path.Combine(model, "merges.txt")));
        Assert.Contains("\"vocab\": \"vocab.json\"", File.ReadAllText(Path.Combine(model, "model.json")), StringComparison.Ordinal);
        Directory.Delete(tokenizer, recursive: true); // the checkpoint stands alone
        CliRun perplexity = CliRun.Of("eval", "perplexity", "-m", model, "-i", _folder.Write("held-out.txt", Sentence + Sentence));
        Assert.True(perplexity.ExitCode == 0, perplexity.Error);
        Assert.Matches(@"words 18: per-word perplexity [0-9.]+", perplexity.Output);
        CliRun generated = CliRun.Of("generate", "-m", model, "--prompt", "the lazy", "-n", "5");
        Assert.True(generated.ExitCode == 0, generated.Error);
        Assert.StartsWith("the lazy", generated.Output, StringComparison.Ordinal);
        BadInputTests.AssertBadInput(Train("gpt", _folder.File("no-merges"), "--tokenizer", "bpe", "--vocab", Path.Combine(model, "vocab.json")), "--merges");
    }

    [Fact]
    public void Train_gpt_writes_the_same_parameters_on_one_and_two_threads()
    {
        byte[] Run(string threads)
        {
            string model = _folder.File("gpt" + threads);
            CliRun run = Train("gpt", model, "--threads", threads, "--dim", "32", "--heads", "4", "--dropout", "0.1", "--seed", "9");
            Assert.True(run.ExitCode == 0, run.Error);
            return File.ReadAllBytes(Path.Combine(model, "model.safetensors"));
        }
        Assert.Equal(Run("1"), Run("2"));
    }

    [Fact]
    public void A_missing_or_empty_corpus_is_bad_input_and_nothing_is_written()
    {
        string model = _folder.File("gpt");
        BadInputTests.AssertBadInput(CliRun.Of("train", "gpt", "-i", _folder.File("absent.txt"), "-o", model), "absent.txt");
        BadInputTests.AssertBadInput(CliRun.Of("train", "gpt", "-i", _folder.Write("empty.txt", ""), "-o", model), "empty.txt is empty");
        BadInputTests.AssertBadInput(CliRun.Of("train", "gpt", "-i", Corpus(), "--heads", "3", "--dim", "16", "-o", model), "3 heads do not divide the dimension 16");
        BadInputTests.AssertBadInput(CliRun.Of("train", "gpt", "-i", Corpus(1), "--context", "64", "--iters", "1", "-o", model), "one window needs 65");
        Assert.False(Directory.Exists(model));
        BadInputTests.AssertBadInput(CliRun.Of("eval", "perplexity", "-m", _folder.File("nothing"), "-i", Corpus()), "nothing does not exist");
    }

    [Fact]
    public void A_prompt_outside_the_vocabulary_or_longer_than_the_context_is_bad_input()
    {
        string model = TrainedGpt();
        BadInputTests.AssertBadInput(CliRun.Of("generate", "-m", model, "--prompt", "the Fox"), "The character 'F' (U+0046) at position 4 is not in the vocabulary");
        BadInputTests.AssertBadInput(CliRun.Of("generate", "-m", model, "--prompt", Sentence), "The prompt is 45 tokens; the model's context is 16");
        BadInputTests.AssertBadInput(CliRun.Of("eval", "perplexity", "-m", model, "-i", _folder.Write("upper.txt", "THE")), "upper.txt: The character 'T' (U+0054) at position 0 is not in the vocabulary");
        BadInputTests.AssertBadInput(Train("gpt", _folder.File("further"), "--init", model, "--validation", _folder.Write("odd.txt", "the Zebra")), "odd.txt: The character 'Z'");
        Assert.False(Directory.Exists(_folder.File("further")));
    }

    [Fact]
    public void A_checkpoint_with_a_missing_tensor_is_bad_input()
    {
        string model = TrainedGpt();
        string tensors = Path.Combine(model, "model.safetensors");
        using (SafetensorsContents contents = SafetensorsFile.Load(tensors))
            SafetensorsFile.Save(tensors, contents.Tensors.Where(t => t.Key != "transformer.ln_f.weight").ToList());
        BadInputTests.AssertBadInput(CliRun.Of("generate", "-m", model, "--prompt", "the"), "lacks the parameter 'transformer.ln_f.weight'");
    }

    [Fact]
    public void A_checkpoint_with_a_misshaped_tensor_is_bad_input()
    {
        string model = TrainedGpt();
        string tensors = Path.Combine(model, "model.safetensors");
        using (SafetensorsContents contents = SafetensorsFile.Load(tensors))
        using (Tensor wider = Tensor.Zeros(17))
            SafetensorsFile.Save(tensors, contents.Tensors.Select(t => t.Key == "transformer.ln_f.bias" ? new KeyValuePair<string, Tensor>(t.Key, wider) : t).ToList());
        BadInputTests.AssertBadInput(CliRun.Of("generate", "-m", model, "--prompt", "the"), "'transformer.ln_f.bias' has shape [17]");
    }

    [Theory]
    [InlineData("\"dimension\": 16", "\"dimension\": 32", "has shape [")]
    [InlineData("\"vocabulary_size\": 28", "\"vocabulary_size\": 30", "the tokenizer has 28 ids")]
    [InlineData("\"kind\": \"gpt\"", "\"kind\": \"rnn\"", "unknown model kind \"rnn\"")]
    [InlineData("embedengine-contextual", "keras", "is not an EmbedEngine language model")]
    [InlineData("{", "[", "is not valid JSON")]
    public void A_model_json_that_disagrees_with_its_tensors_or_is_unknown_is_bad_input(string original, string replacement, string expected)
    {
        string model = TrainedGpt();
        string json = Path.Combine(model, "model.json");
        string text = File.ReadAllText(json);
        Assert.Contains(original, text, StringComparison.Ordinal);
        File.WriteAllText(json, new Regex(Regex.Escape(original)).Replace(text, replacement, 1));
        BadInputTests.AssertBadInput(CliRun.Of("generate", "-m", model, "--prompt", "the"), expected);
        BadInputTests.AssertBadInput(CliRun.Of("eval", "perplexity", "-m", model, "-i", Corpus()), expected);
    }

    /// <summary>A tiny character LSTM (2 layers of 32, windows of 16); <paramref name="changes"/> replace or add options.</summary>
    private CliRun TrainCharacterModel(string output, params string[] changes) => CliRun.Of(CharacterModelArguments(output, changes));

    /// <summary>The arguments <see cref="TrainCharacterModel"/> runs.</summary>
    private string[] CharacterModelArguments(string output, params string[] changes)
    {
        var options = new Dictionary<string, string>
        {
            ["-i"] = Corpus(), ["--dim"] = "32", ["--context"] = "16", ["--batch"] = "8", ["--iters"] = "40", ["--eval-interval"] = "20",
            ["--warmup"] = "2", ["--lr"] = "0.03", ["--threads"] = "1", ["-o"] = output,
        };
        for (int i = 0; i < changes.Length; i += 2) options[changes[i]] = changes[i + 1];
        return ["train", "char-lm", .. options.SelectMany(o => new[] { o.Key, o.Value })];
    }

    [Fact]
    public void Train_char_lm_writes_an_lstm_checkpoint_that_generates_past_its_window_and_evaluates()
    {
        string model = _folder.File("lstm");
        CliRun run = TrainCharacterModel(model);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("lstm, 2 layers, dimension 32, windows of 16", run.Error, StringComparison.Ordinal);
        Assert.Contains("Adam lr 0.03", run.Error, StringComparison.Ordinal); // no weight decay by default
        MatchCollection validations = ValidationLine().Matches(run.Output);
        Assert.Equal(["0", "20", "40"], validations.Select(m => m.Groups[1].Value));
        double first = double.Parse(validations[0].Groups[2].Value, CultureInfo.InvariantCulture);
        double last = double.Parse(validations[2].Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.InRange(first, Math.Log(28) - 0.3, Math.Log(28) + 0.3);
        Assert.True(last < first - 1, run.Output);
        string json = File.ReadAllText(Path.Combine(model, "model.json"));
        Assert.Contains("\"kind\": \"lstm\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("heads", json, StringComparison.Ordinal);

        // An LSTM reads any length: a prompt and a text longer than its training windows.
        CliRun generated = CliRun.Of("generate", "-m", model, "--prompt", Sentence, "-n", "40", "--seed", "3");
        Assert.True(generated.ExitCode == 0, generated.Error);
        Assert.StartsWith(Sentence, generated.Output, StringComparison.Ordinal);
        Assert.Equal(Sentence.Length + 40, generated.Output.TrimEnd('\n').Length);
        CliRun perplexity = CliRun.Of("eval", "perplexity", "-m", model, "-i", _folder.Write("held-out.txt", Sentence + Sentence));
        Assert.True(perplexity.ExitCode == 0, perplexity.Error);
        Assert.Matches(@"bits per character [0-9.]+", perplexity.Output);

        string further = _folder.File("lstm2");
        run = TrainCharacterModel(further, "--init", model, "--iters", "2");
        Assert.True(run.ExitCode == 0, run.Error);
        BadInputTests.AssertBadInput(Train("gpt", _folder.File("wrong"), "--init", model), "holds a lstm model, not a gpt model");
    }

    [Fact]
    public void Train_char_lm_with_the_gpt_architecture_writes_a_gpt_checkpoint()
    {
        string model = _folder.File("gpt-char");
        CliRun run = TrainCharacterModel(model, "--arch", "gpt", "--heads", "2", "--layers", "1", "--iters", "4", "--eval-interval", "4");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("\"kind\": \"gpt\"", File.ReadAllText(Path.Combine(model, "model.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_char_lm_options_and_a_misshaped_lstm_checkpoint_are_bad_input()
    {
        BadInputTests.AssertBadInput(TrainCharacterModel(_folder.File("a"), "--heads", "2"), "an LSTM model has no attention heads");
        BadInputTests.AssertBadInput(TrainCharacterModel(_folder.File("b"), "--arch", "rnn"), "--arch takes lstm or gpt; got 'rnn'");
        BadInputTests.AssertBadInput(TrainCharacterModel(_folder.File("c"), "--dim", "0"), "The dimension must be between 1 and");
        Assert.False(Directory.Exists(_folder.File("a")) || Directory.Exists(_folder.File("b")) || Directory.Exists(_folder.File("c")));

        string model = _folder.File("lstm");
        Assert.Equal(0, TrainCharacterModel(model, "--iters", "2").ExitCode);
        BadInputTests.AssertBadInput(CliRun.Of("generate", "-m", model, "--prompt", "THE"), "The character 'T' (U+0054) at position 0 is not in the vocabulary");
        string tensors = Path.Combine(model, "model.safetensors");
        using (SafetensorsContents contents = SafetensorsFile.Load(tensors))
        using (Tensor narrower = Tensor.Zeros(128, 31))
            SafetensorsFile.Save(tensors, contents.Tensors.Select(t => t.Key == "rnn.weight_hh_l1" ? new KeyValuePair<string, Tensor>(t.Key, narrower) : t).ToList());
        BadInputTests.AssertBadInput(CliRun.Of("generate", "-m", model, "--prompt", "the"), "'rnn.weight_hh_l1' has shape [128, 31]");
    }
}
