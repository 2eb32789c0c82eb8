using EmbedEngine.Models.Contextual;
using EmbedEngine.Models.Training;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Autograd;
using Xunit.Abstractions;

namespace EmbedEngine.Models.Tests.Contextual;

public sealed class LstmLanguageModelTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "lstm-lm-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private static float[] Logits(LanguageModel model, int[] tokens, int batch, int length)
    {
        using (Graph.NoGrad())
        {
            float[] logits = model.Logits(tokens, batch, length).ToArray();
            Graph.Current.Release();
            return logits;
        }
    }

    [Fact]
    public void Parameters_are_named_as_pytorch_names_its_modules()
    {
        using LstmLanguageModel model = TinyModels.CreateLstm(TinyModels.Text);
        Assert.Equal(["encoder.weight", "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "rnn.weight_ih_l1", "rnn.weight_hh_l1",
            "rnn.bias_ih_l1", "rnn.bias_hh_l1", "decoder.weight", "decoder.bias"], model.NamedParameters().Select(p => p.Key));
        Assert.Equal([model.Config.VocabularySize, 16], model.NamedParameters()[^2].Value.Shape.ToArray());
    }

    [Fact]
    public void Windows_of_a_batch_are_scored_each_on_its_own()
    {
        string text = TinyModels.Repeated(2);
        using LstmLanguageModel model = TinyModels.CreateLstm(text);
        int[] first = TinyModels.Encode(model, "the quick"), second = TinyModels.Encode(model, "lazy dogs");
        float[] together = Logits(model, [.. first, .. second], batch: 2, length: 9);
        float[] alone = [.. Logits(model, first, 1, 9), .. Logits(model, second, 1, 9)];
        Assert.Equal(alone.Length, together.Length);
        for (int i = 0; i < alone.Length; i++) Assert.Equal(alone[i], together[i], 5);
    }

    [Fact]
    public void The_loss_gradient_matches_finite_differences_for_every_parameter_tensor()
    {
        string text = TinyModels.Repeated(2);
        using LstmLanguageModel model = TinyModels.CreateLstm(text, dimension: 8);
        TensorSettings.Threads = 1;
        int[] tokens = TinyModels.Encode(model, text);
        int[] inputs = [.. tokens[..6], .. tokens[20..26]], targets = [.. tokens[1..7], .. tokens[21..27]];
        ParameterGradientCheck.Check(model, () => model.Loss(inputs, targets, 2, 6), log.WriteLine);
    }

    [Fact]
    public void Generation_gives_the_scores_of_a_full_recompute_at_every_step_past_the_training_window()
    {
        string text = TinyModels.Repeated(2);
        using LstmLanguageModel model = TinyModels.CreateLstm(text, context: 8);
        using var generator = new TextGenerator(model);
        var options = new GenerationOptions { Temperature = 1f, TopK = 0 };
        var random = new FastRandom(5);
        float[] logits = generator.Start(TinyModels.Encode(model, "the qu")).ToArray();
        for (int step = 0; step < 20; step++)
        {
            int[] history = [.. generator.Tokens];
            float[] expected = Logits(model, history, 1, history.Length)[^model.Config.VocabularySize..];
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], logits[i], 1e-5f);
            logits = generator.Append(generator.Sample(logits, options, ref random)).ToArray();
        }
        Assert.Equal(26, generator.Tokens.Count);
        Assert.Throws<ArgumentException>(() => generator.Start([]));
    }

    [Fact]
    public void A_saved_model_loads_with_identical_logits()
    {
        string text = TinyModels.Repeated(3);
        using LstmLanguageModel model = TinyModels.CreateLstm(text, dropout: 0.2f);
        int[] tokens = TinyModels.Encode(model, "the lazy dog");
        model.Eval();
        ContextualCheckpoint.Save(model, _folder);
        using LanguageModel loaded = ContextualCheckpoint.Load(_folder);
        Assert.IsType<LstmLanguageModel>(loaded);
        Assert.Equal(model.Config with { Tokenizer = loaded.Config.Tokenizer }, loaded.Config);
        loaded.Eval();
        Assert.Equal(Logits(model, tokens, 1, tokens.Length), Logits(loaded, tokens, 1, tokens.Length));
        Assert.DoesNotContain("heads", File.ReadAllText(Path.Combine(_folder, ContextualCheckpoint.ConfigFile)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_tiny_lstm_learns_a_repeated_sentence_far_below_the_uniform_loss()
    {
        string text = TinyModels.Repeated(40);
        using LstmLanguageModel model = TinyModels.CreateLstm(text, dimension: 32);
        int[] tokens = TinyModels.Encode(model, text);
        var validations = new List<ValidationPoint>();
        ContextualTrainer.Train(model, tokens, tokens[..200], TinyModels.Options(150) with { EvalInterval = 50 },
            null, validations.Add, TimeSpan.FromHours(1), CancellationToken.None);
        double uniform = Math.Log(model.Config.VocabularySize);
        Assert.InRange(validations[0].Result.MeanLoss, uniform - 0.3, uniform + 0.3);
        Assert.True(validations[^1].Result.MeanLoss < 0.25 * uniform, $"validation loss {validations[^1].Result.MeanLoss} vs ln V = {uniform}");
        Assert.True(validations[^1].Result.Accuracy > 0.8, $"next-token accuracy {validations[^1].Result.Accuracy}");
    }

    [Fact]
    public void A_transformer_configuration_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new LstmLanguageModel(new ContextualConfig { VocabularySize = 5, Tokenizer = TokenizerDescription.Characters(["a", "b", "c", "d", "e"]) },
            Text.Tokenizers.CharacterTokenizer.FromText("abcde"), seed: 1));
        Assert.Contains("LSTM configuration", e.Message, StringComparison.Ordinal);
    }
}
