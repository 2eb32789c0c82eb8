using EmbedEngine.Models.Contextual;
using EmbedEngine.Models.Training;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Autograd;

namespace EmbedEngine.Models.Tests.Contextual;

public sealed class RecipeTests
{
    [Fact]
    public void The_schedule_warms_up_linearly_then_decays_by_cosine_to_the_minimum()
    {
        var schedule = new WarmupCosineSchedule(1e-3f, 1e-4f, 100, 2000);
        Assert.Equal(1e-3f / 101, schedule.At(0), 1e-10f);
        Assert.Equal(1e-3f * 100 / 101, schedule.At(99), 1e-10f);
        Assert.Equal(1e-3f, schedule.At(100), 1e-10f);
        Assert.Equal(1e-4f + 0.5f * 9e-4f, schedule.At(1050), 1e-9f);
        Assert.Equal(1e-4f + 0.5f * (1 + MathF.Cos(MathF.PI * 1899 / 1900)) * 9e-4f, schedule.At(1999), 1e-9f);
        Assert.Equal(1e-4f, schedule.At(2000));
    }

    [Fact]
    public void Gpt2_initialization_scales_the_residual_projections()
    {
        using TransformerLanguageModel model = TinyModels.Create(ContextualModelKind.Gpt, TinyModels.Text, layers: 8, dimension: 64, heads: 4, context: 64);
        static double Deviation(Tensor t) => Math.Sqrt(t.ToArray().Select(v => (double)v * v).Average());
        Assert.Equal(0.02, Deviation(model.Stack.TokenEmbedding.Table), 0.002);
        Assert.Equal(0.02, Deviation(model.Stack.PositionEmbedding.Table), 0.002);
        foreach (var block in model.Stack.Blocks)
        {
            Assert.Equal(0.02, Deviation(block.Attention.QueryKeyValue.Weight), 0.002);
            Assert.Equal(0.02, Deviation(block.Expand.Weight), 0.002);
            Assert.Equal(0.02 / 4, Deviation(block.Attention.Projection.Weight), 0.0008); // 0.02/√(2·8)
            Assert.Equal(0.02 / 4, Deviation(block.Contract.Weight), 0.0008);
            Assert.All(block.Attention.QueryKeyValue.Bias!.ToArray(), b => Assert.Equal(0f, b));
            Assert.All(block.AttentionNorm.Gamma.ToArray(), g => Assert.Equal(1f, g));
        }
    }

    [Fact]
    public void Validation_covers_consecutive_windows_and_counts_a_shorter_last_one()
    {
        string text = TinyModels.Repeated(2);
        using TransformerLanguageModel model = TinyModels.Create(ContextualModelKind.Gpt, text);
        int[] tokens = TinyModels.Encode(model, text)[..40]; // two windows of 17 tokens, then 6 more: 16 + 16 + 5 predictions
        WindowEvaluation evaluation = ContextualEvaluation.Evaluate(model, tokens, batchSize: 4);
        Assert.Equal(37, evaluation.Predictions);
        double total = 0;
        foreach (var (start, length) in new[] { (0, 16), (17, 16), (34, 5) })
        {
            using (Graph.NoGrad())
            {
                Tensor loss = model.Loss(tokens[start..(start + length)], tokens[(start + 1)..(start + length + 1)], 1, length);
                total += loss.Item() * length;
                Graph.Current.Release();
            }
        }
        Assert.Equal(total / 37, evaluation.MeanLoss, 1e-5);
        Assert.Throws<ArgumentException>(() => ContextualEvaluation.Evaluate(model, tokens[..1], 4));
    }

    [Fact]
    public void Perplexity_reports_per_token_per_word_and_bits_per_character()
    {
        string text = TinyModels.Repeated(2);
        using TransformerLanguageModel model = TinyModels.Create(ContextualModelKind.Gpt, text);
        PerplexityReport report = ContextualPerplexity.Measure(model, text);
        Assert.Equal(18, report.Words);
        Assert.Equal(text.Length, report.Characters);
        Assert.Equal(Math.Exp(report.LossPerToken), report.TokenPerplexity, 1e-9);
        Assert.Equal(text.Length, report.Tokens);
        Assert.Equal(report.LossPerToken / Math.Log(2), report.BitsPerCharacter, 1e-9); // a character model: tokens are characters
        Assert.Equal(Math.Exp(report.LossPerToken * text.Length / 18), report.WordPerplexity, 1e-6);
        Assert.Equal(3, ContextualPerplexity.CountWords("  one\ttwo\n three "));
    }

    [Theory]
    [InlineData(3, 16, "3 heads do not divide the dimension 16")]
    [InlineData(0, 16, "The number of heads must be between 1")]
    [InlineData(2, -4, "The dimension must be between 1")]
    public void Invalid_configurations_say_what_is_wrong(int heads, int dimension, string expected)
    {
        var config = new ContextualConfig { VocabularySize = 10, Heads = heads, Dimension = dimension };
        Assert.Contains(expected, Assert.Throws<ArgumentException>(config.Validate).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bert_adds_mask_and_cls_after_the_tokenizer_ids()
    {
        var config = new ContextualConfig { Kind = ContextualModelKind.Bert, VocabularySize = 10 };
        Assert.Equal((10, 11, 12), (config.MaskToken, config.ClassToken, config.TableRows));
        Assert.Equal(10, new ContextualConfig { VocabularySize = 10 }.TableRows);
    }
}
