using EmbedEngine.Models.Contextual;
using EmbedEngine.Models.Training;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Autograd;

namespace EmbedEngine.Models.Tests.Contextual;

public sealed class GenerationTests
{
    /// <summary>The scores after the last of <paramref name="tokens"/>, recomputed from scratch over at most the last context tokens.</summary>
    private static float[] FullRecompute(TransformerLanguageModel model, IReadOnlyList<int> tokens)
    {
        int[] window = tokens.Skip(Math.Max(0, tokens.Count - model.Config.Context)).ToArray();
        using (Graph.NoGrad())
        {
            Tensor logits = model.Logits(window, 1, window.Length);
            float[] last = logits.ToArray()[^model.Config.TableRows..];
            Graph.Current.Release();
            return last;
        }
    }

    [Fact]
    public void Cached_generation_gives_the_scores_of_a_full_recompute_at_every_step_also_past_the_context()
    {
        string text = TinyModels.Repeated(2);
        using TransformerLanguageModel model = TinyModels.Create(ContextualModelKind.Gpt, text, layers: 2, context: 12);
        using var generator = new TextGenerator(model);
        var options = new GenerationOptions { Temperature = 1f, TopK = 0 };
        var random = new FastRandom(5);
        float[] logits = generator.Start(TinyModels.Encode(model, "the qu")).ToArray();
        for (int step = 0; step < 20; step++)
        {
            float[] expected = FullRecompute(model, generator.Tokens);
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], logits[i], 1e-5f);
            logits = generator.Append(generator.Sample(logits, options, ref random)).ToArray();
        }
        Assert.Equal(26, generator.Tokens.Count);
    }

    [Fact]
    public void Sampling_is_seeded_and_respects_top_k_and_temperature_zero()
    {
        string text = TinyModels.Repeated(2);
        using TransformerLanguageModel model = TinyModels.Create(ContextualModelKind.Gpt, text);
        using var generator = new TextGenerator(model);
        float[] logits = new float[model.Config.VocabularySize];
        logits[3] = 5f;
        logits[7] = 4.9f;
        logits[9] = 4.8f;
        var random = new FastRandom(1);
        Assert.Equal(3, generator.Sample(logits, new GenerationOptions { Temperature = 0f }, ref random));
        var drawn = new HashSet<int>();
        for (int i = 0; i < 300; i++) drawn.Add(generator.Sample(logits, new GenerationOptions { Temperature = 1f, TopK = 2 }, ref random));
        Assert.Equal([3, 7], drawn.Order());
        string first = generator.Generate("the", new GenerationOptions { Tokens = 30, Seed = 4 });
        string second = generator.Generate("the", new GenerationOptions { Tokens = 30, Seed = 4 });
        Assert.Equal(first, second);
        Assert.Equal(33, first.Length);
        Assert.StartsWith("the", first, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(9)]
    public void Top_k_draws_exactly_the_tokens_at_or_above_the_kth_largest_score_ties_included(int k)
    {
        using TransformerLanguageModel model = TinyModels.Create(ContextualModelKind.Gpt, TinyModels.Text);
        using var generator = new TextGenerator(model);
        int vocabulary = model.Config.VocabularySize;
        var scores = new Random(k);
        // Scores on a coarse grid, so the k-th largest is often tied with others.
        float[] logits = [.. Enumerable.Range(0, vocabulary).Select(_ => scores.Next(6) / 4f)];
        float kth = logits.OrderDescending().ElementAt(k - 1);
        int[] expected = [.. Enumerable.Range(0, vocabulary).Where(t => logits[t] >= kth)];

        var random = new FastRandom(7);
        var drawn = new HashSet<int>();
        for (int i = 0; i < 4000; i++) drawn.Add(generator.Sample(logits, new GenerationOptions { Temperature = 1f, TopK = k }, ref random));
        Assert.Equal(expected, drawn.Order());
    }

    [Fact]
    public void A_prompt_longer_than_the_context_or_outside_the_vocabulary_is_refused()
    {
        using TransformerLanguageModel model = TinyModels.Create(ContextualModelKind.Gpt, TinyModels.Text, context: 8);
        using var generator = new TextGenerator(model);
        var e = Assert.Throws<ArgumentException>(() => generator.Generate("the quick brown", new GenerationOptions { Tokens = 1 }));
        Assert.Contains("The prompt is 15 tokens; the model's context is 8", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => generator.Generate("the QUICK", new GenerationOptions { Tokens = 1 }));
        Assert.Contains("'Q'", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => generator.Generate("", new GenerationOptions { Tokens = 1 }));
    }

    [Fact]
    public void A_bert_model_does_not_generate()
    {
        using TransformerLanguageModel model = TinyModels.Create(ContextualModelKind.Bert, TinyModels.Text);
        Assert.Throws<ArgumentException>(() => new TextGenerator(model));
    }
}
