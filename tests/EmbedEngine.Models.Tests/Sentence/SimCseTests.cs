using EmbedEngine.Models.Contextual;
using EmbedEngine.Models.Sentence;
using EmbedEngine.Models.Sentence.SimCse;
using EmbedEngine.Models.Tests.Contextual;
using EmbedEngine.Models.Training;

namespace EmbedEngine.Models.Tests.Sentence;

/// <summary>
/// SimCSE fine-tuning of tiny BERT-like models: supervised pairs teach a mapping the random model does not know,
/// the unsupervised objective lowers its own loss, runs repeat exactly, bad settings are refused.
/// </summary>
public sealed class SimCseTests
{
    /// <summary>Eight topics, each written in two disjoint pairs of letters: the anchors in one, the positives in the other.</summary>
    private const string Letters = "abcdefghijklmnopqrstuvwxyzABCDEF";

    private static string Spelling(int topic, int side, int length, Random random)
    {
        var chars = new char[length];
        for (int i = 0; i < length; i++) chars[i] = Letters[4 * topic + 2 * side + random.Next(2)];
        return new string(chars);
    }

    private static SimCseExample[] TopicPairs(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(i => new SimCseExample(
            Spelling(i % 8, 0, 3 + random.Next(6), random), Spelling(i % 8, 1, 3 + random.Next(6), random)))];
    }

    /// <summary>Share of held-out anchors whose nearest held-out positive (one per topic) is their own topic's.</summary>
    private static double TopicRetrieval(TransformerLanguageModel model)
    {
        var encoder = new TransformerSentenceEncoder(model, LayerSelection.Final);
        var random = new Random(99);
        int d = model.Config.Dimension, hits = 0, trials = 0;
        float[][] positives = [.. Enumerable.Range(0, 8).Select(t => Encode(encoder, Spelling(t, 1, 7, random), d))];
        for (int round = 0; round < 4; round++)
            for (int topic = 0; topic < 8; topic++)
            {
                float[] anchor = Encode(encoder, Spelling(topic, 0, 4 + round, random), d);
                int best = Enumerable.Range(0, 8).MaxBy(t => Cosine(anchor, positives[t]));
                hits += best == topic ? 1 : 0;
                trials++;
            }
        return (double)hits / trials;
    }

    private static float[] Encode(TransformerSentenceEncoder encoder, string text, int d)
    {
        var vector = new float[d];
        encoder.Encode(text, vector);
        return vector;
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += a[i] * (double)b[i];
            na += a[i] * (double)a[i];
            nb += b[i] * (double)b[i];
        }
        return dot / Math.Sqrt(na * nb);
    }

    private static TransformerLanguageModel TinyBert(float dropout = 0f) =>
        TinyModels.Create(ContextualModelKind.Bert, Letters, layers: 1, dimension: 32, heads: 2, context: 16, dropout: dropout);

    private static SimCseOptions Options(int steps, int batch = 8) => new()
    {
        Steps = steps, BatchSize = batch, LearningRate = 3e-3f, WarmupSteps = 5, Dropout = 0f, Threads = 1, Seed = 5,
    };

    [Fact]
    public void Supervised_pairs_teach_a_mapping_the_untrained_model_lacks()
    {
        using TransformerLanguageModel model = TinyBert();
        double before = TopicRetrieval(model);
        SimCseTrainer.Train(model, TopicPairs(256, 1), Options(150), null, TimeSpan.Zero, CancellationToken.None);
        double after = TopicRetrieval(model);
        Assert.True(before < 0.5, $"the untrained model already retrieves {before:P0} of the topics");
        Assert.True(after >= 0.9, $"after training {after:P0} of the anchors find their topic (before {before:P0})");
        Assert.False(model.IsTraining);
    }

    [Fact]
    public void Hard_negatives_push_their_anchor_away()
    {
        // Two topics share their anchors' spelling; the hard negative says which positive is wrong for each.
        var random = new Random(3);
        var examples = new List<SimCseExample>();
        for (int i = 0; i < 128; i++)
        {
            int topic = i % 4;
            examples.Add(new SimCseExample(Spelling(topic, 0, 5, random), Spelling(topic, 1, 5, random), Spelling((topic + 1) % 4, 1, 5, random)));
        }
        using TransformerLanguageModel model = TinyBert();
        var encoder = new TransformerSentenceEncoder(model, LayerSelection.Final);
        int d = model.Config.Dimension;
        double Margin()
        {
            var r = new Random(7);
            double sum = 0;
            for (int topic = 0; topic < 4; topic++)
            {
                float[] anchor = Encode(encoder, Spelling(topic, 0, 6, r), d);
                sum += Cosine(anchor, Encode(encoder, Spelling(topic, 1, 6, r), d)) - Cosine(anchor, Encode(encoder, Spelling((topic + 1) % 4, 1, 6, r), d));
            }
            return sum / 4;
        }
        double before = Margin();
        SimCseTrainer.Train(model, examples, Options(80), null, TimeSpan.Zero, CancellationToken.None);
        double after = Margin();
        Assert.True(after > before + 0.3, $"cos(anchor, positive) − cos(anchor, hard negative): {before:F3} before, {after:F3} after");
    }

    [Fact]
    public void Unsupervised_training_lowers_its_loss_and_repeats_exactly()
    {
        string[] lines = [.. Enumerable.Range(0, 64).Select(i => Spelling(i % 8, i % 2, 4 + i % 5, new Random(i)))];
        IReadOnlyList<SimCseExample> examples = SimCseExample.Unsupervised(lines, maxWords: 3);
        float[] Train(out List<double> losses)
        {
            var seen = new List<double>();
            using TransformerLanguageModel model = TinyBert(dropout: 0.1f);
            SimCseTrainer.Train(model, examples, Options(60, batch: 16) with { Dropout = 0.1f }, p => seen.Add(p.Loss), TimeSpan.Zero, CancellationToken.None);
            losses = seen;
            return model.Stack.Blocks[0].Expand.Weight.ToArray();
        }
        float[] first = Train(out List<double> losses), second = Train(out _);
        Assert.Equal(first, second);
        double start = losses.Take(5).Average(), end = losses.TakeLast(5).Average();
        Assert.True(end < 0.5 * start, $"loss {start:F3} over the first steps, {end:F3} over the last");
    }

    [Fact]
    public void Lines_are_cut_into_runs_of_words_and_neighbouring_runs_pair_up()
    {
        IReadOnlyList<SimCseExample> examples = SimCseExample.Unsupervised(["a b c d e", "  ", "f  g"], maxWords: 2);
        Assert.Equal(["a b", "c d", "e", "f g"], examples.Select(e => e.Anchor));
        Assert.All(examples, e => Assert.Null(e.Positive));
        examples = SimCseExample.Neighbours(["a b c d e", "f g", "h i j k"], maxWords: 2);
        Assert.Equal([new SimCseExample("a b", "c d"), new SimCseExample("c d", "e"), new SimCseExample("h i", "j k")], examples);
    }

    [Fact]
    public void Bad_settings_and_models_are_refused()
    {
        using TransformerLanguageModel gpt = TinyModels.Create(ContextualModelKind.Gpt, Letters);
        var e = Assert.Throws<ArgumentException>(() => SimCseTrainer.Train(gpt, TopicPairs(16, 1), Options(1), null, TimeSpan.Zero, CancellationToken.None));
        Assert.Contains("BERT-like", e.Message, StringComparison.Ordinal);
        using TransformerLanguageModel bert = TinyBert();
        e = Assert.Throws<ArgumentException>(() => SimCseTrainer.Train(bert, TopicPairs(4, 1), Options(1), null, TimeSpan.Zero, CancellationToken.None));
        Assert.Contains("4 examples have tokens; a batch needs 8", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => (Options(1) with { Temperature = 0f }).Validate());
        Assert.Throws<ArgumentException>(() => (Options(1) with { BatchSize = 1 }).Validate());
        Assert.Throws<ArgumentException>(() => (Options(1) with { Dropout = 1f }).Validate());
    }
}
