using EmbedEngine.Models.Contextual;
using EmbedEngine.Tensors;
using EmbedEngine.Tests.Shared;

namespace EmbedEngine.Models.Tests.Contextual;

public sealed class LanguageModelTrainingTests
{
    [Fact]
    public void A_tiny_gpt_learns_a_repeated_sentence_far_below_the_uniform_loss()
    {
        string text = TinyModels.Repeated(40);
        using TransformerLanguageModel model = TinyModels.Create(ContextualModelKind.Gpt, text, dimension: 32, heads: 2);
        int[] tokens = TinyModels.Encode(model, text);
        var validations = new List<ValidationPoint>();
        ContextualTrainingResult result = ContextualTrainer.Train(model, tokens, tokens[..200], TinyModels.Options(150) with { EvalInterval = 50 },
            null, validations.Add, TimeSpan.FromHours(1), CancellationToken.None);
        double uniform = Math.Log(model.Config.VocabularySize);
        Assert.Equal([0, 50, 100, 150], validations.Select(v => v.Iteration));
        Assert.InRange(validations[0].Result.MeanLoss, uniform - 0.3, uniform + 0.3);
        Assert.True(validations[^1].Result.MeanLoss < 0.25 * uniform, $"validation loss {validations[^1].Result.MeanLoss} vs ln V = {uniform}");
        Assert.True(validations[^1].Result.Accuracy > 0.8, $"next-token accuracy {validations[^1].Result.Accuracy}");
        Assert.Equal(150L * 4 * 16, result.Final.WordsProcessed);
        Assert.Equal(validations[^1].Result.MeanLoss, result.Final.ValidationLoss);
    }

    [Theory]
    [InlineData(ContextualModelKind.Gpt)]
    [InlineData(ContextualModelKind.Bert)]
    [InlineData(ContextualModelKind.Lstm)]
    public void Steady_training_steps_allocate_no_managed_memory(ContextualModelKind kind)
    {
        string text = TinyModels.Repeated(10);
        using LanguageModel model = TinyModels.Any(kind, text, layers: 2, dropout: 0.1f);
        TensorSettings.Threads = 1;
        using var step = new ContextualTrainingStep(model, TinyModels.Encode(model, text), TinyModels.Options(20));
        int iteration = 0;
        step.Step(iteration++);
        step.Step(iteration++);
        SteadyAllocation.AssertNone(() => step.Step(iteration++ % 20), steps: 6);
    }

    [Theory]
    [InlineData(ContextualModelKind.Gpt)]
    [InlineData(ContextualModelKind.Bert)]
    [InlineData(ContextualModelKind.Lstm)]
    public void One_and_two_threads_train_the_same_bits(ContextualModelKind kind)
    {
        string text = TinyModels.Repeated(10);
        float[][] Train(int threads)
        {
            using LanguageModel model = TinyModels.Any(kind, text, layers: 2, dimension: 32, heads: 4, dropout: 0.1f);
            int[] tokens = TinyModels.Encode(model, text);
            ContextualTrainer.Train(model, tokens, tokens[..100], TinyModels.Options(6) with { Threads = threads, BatchSize = 8 },
                null, null, TimeSpan.FromHours(1), CancellationToken.None);
            return model.Parameters().Select(p => p.ToArray()).ToArray();
        }
        float[][] one = Train(1), two = Train(2);
        Assert.Equal(one.Length, two.Length);
        for (int i = 0; i < one.Length; i++) Assert.Equal(one[i], two[i]);
    }

    [Fact]
    public void Cancellation_stops_training()
    {
        string text = TinyModels.Repeated(4);
        using TransformerLanguageModel model = TinyModels.Create(ContextualModelKind.Gpt, text);
        int[] tokens = TinyModels.Encode(model, text);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => ContextualTrainer.Train(model, tokens, tokens, TinyModels.Options(5), null, null,
            TimeSpan.FromHours(1), cancelled.Token));
    }

    [Fact]
    public void A_training_text_shorter_than_one_window_is_refused()
    {
        using TransformerLanguageModel model = TinyModels.Create(ContextualModelKind.Gpt, TinyModels.Text);
        int[] tokens = TinyModels.Encode(model, "the quick");
        var e = Assert.Throws<ArgumentException>(() => ContextualTrainer.Train(model, tokens, tokens, TinyModels.Options(5), null, null,
            TimeSpan.FromHours(1), CancellationToken.None));
        Assert.Contains("one window needs 17", e.Message, StringComparison.Ordinal);
    }
}
