using EmbedEngine.Models.Contextual;
using EmbedEngine.Models.Contextual.Elmo;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.Autograd;
using Xunit.Abstractions;

namespace EmbedEngine.Models.Tests.Contextual;

public sealed class BidirectionalLanguageModelTests(ITestOutputHelper log) : IDisposable
{
    private static readonly List<string> Corpus = WordText.Words(string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog\nthe lazy dog sleeps\n", 30)));
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "bilm-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private static BidirectionalLanguageModel Tiny(int dimension = 8, float dropout = 0f, int seed = 2) => new(new BiLmConfig
    {
        Dimension = dimension, Cells = 2 * dimension, Layers = 2, Context = 6, Buckets = 40, Dropout = dropout, Words = BiLmVocabulary.Build(Corpus, minCount: 2),
    }, seed);

    private static float[][] Layers(BidirectionalLanguageModel model, params string[] sentence)
    {
        model.Eval();
        try
        {
            using (Graph.NoGrad()) return [.. model.LayerVectors(sentence).Select(t => t.ToArray())];
        }
        finally
        {
            Graph.Current.Release();
        }
    }

    [Fact]
    public void The_vocabulary_starts_with_unknown_and_every_word_has_a_token_vector()
    {
        using BidirectionalLanguageModel model = Tiny();
        Assert.Equal(["<unk>", "the", "lazy", "dog", "</s>"], model.Config.Words.Take(5)); // 90, 60, 60, 60: ties in first-seen order
        Assert.Equal(0, model.TargetOf("zebra"));
        Assert.Equal(model.TargetOf("fox") + 0, model.RowsOf("fox")[0]); // its own row first, then n-grams
        Assert.All(model.RowsOf("zebra"), row => Assert.InRange(row, model.Config.Words.Count, model.Config.Words.Count + 39));
        Assert.Equal(5 + 4 + 3 + 2, model.RowsOf("zebra").Length); // the 3- to 6-grams of "<zebra>"
    }

    [Fact]
    public void The_loss_gradient_matches_finite_differences_for_every_parameter_tensor()
    {
        using BidirectionalLanguageModel model = Tiny(dimension: 6);
        TensorSettings.Threads = 1;
        string[] windows = [.. Corpus.Take(7), .. Corpus.Skip(9).Take(7)];
        ParameterGradientCheck.Check(model, () =>
        {
            var (forward, backward) = model.Loss(windows, 2, 7);
            return Ops.Add(forward, backward);
        }, log.WriteLine);
    }

    [Fact]
    public void Forward_states_see_only_earlier_words_and_backward_states_only_later_ones()
    {
        using BidirectionalLanguageModel model = Tiny();
        float[][] before = Layers(model, "the", "quick", "brown", "fox"), after = Layers(model, "the", "quick", "red", "fox");
        int d = model.Config.Dimension;
        Assert.Equal(3, before.Length);
        Assert.Equal(4 * 2 * d, before[2].Length);
        for (int layer = 1; layer <= 2; layer++)
            for (int word = 0; word < 4; word++)
            {
                ReadOnlySpan<float> b = before[layer].AsSpan(word * 2 * d, 2 * d), a = after[layer].AsSpan(word * 2 * d, 2 * d);
                Assert.Equal(word < 2, b[..d].SequenceEqual(a[..d]));   // forward half changes from "red" on
                Assert.Equal(word > 2, b[d..].SequenceEqual(a[d..]));   // backward half changes up to "red"
            }
        Assert.Equal(before[0].AsSpan(0, d).ToArray(), before[0].AsSpan(d, d).ToArray()); // layer 0: the token vector twice
    }

    [Fact]
    public void Training_lowers_both_directions_losses_and_a_saved_model_gives_the_same_vectors()
    {
        using BidirectionalLanguageModel model = Tiny(dimension: 16, dropout: 0.1f);
        var validations = new List<BiLmValidation>();
        BiLmTrainer.Train(model, Corpus, Corpus.Take(60).ToList(), new BiLmTrainingOptions { Iterations = 60, BatchSize = 8, LearningRate = 0.02f, MinLearningRate = 0.002f, WarmupIterations = 5, EvalInterval = 30, Threads = 1 },
            null, validations.Add, TimeSpan.FromHours(1), CancellationToken.None);
        Assert.Equal([0, 30, 60], validations.Select(v => v.Iteration));
        BiLmEvaluation first = validations[0].Result, last = validations[^1].Result;
        Assert.Equal(59, first.Predictions);
        Assert.True(last.ForwardLoss < first.ForwardLoss - 1 && last.BackwardLoss < first.BackwardLoss - 1, $"{first} → {last}");
        Assert.True(last.ForwardPerplexity < 3, $"forward perplexity {last.ForwardPerplexity}");

        BiLmCheckpoint.Save(model, _folder);
        Assert.True(BiLmCheckpoint.Holds(_folder));
        using BidirectionalLanguageModel loaded = BiLmCheckpoint.Load(_folder);
        Assert.Equal(model.Config.Words, loaded.Config.Words);
        Assert.Equal(Layers(model, "the", "zebra", "sleeps"), Layers(loaded, "the", "zebra", "sleeps"));
    }

    [Fact]
    public void A_sentence_vector_is_the_mean_over_words_of_the_chosen_layers()
    {
        using BidirectionalLanguageModel model = Tiny();
        float[][] layers = Layers(model, "the", "lazy", "zebra");
        int width = 2 * model.Config.Dimension;
        float[] Mean(params int[] chosen)
        {
            var mean = new float[width];
            foreach (int l in chosen)
                for (int w = 0; w < 3; w++)
                    for (int c = 0; c < width; c++) mean[c] += layers[l][w * width + c] / (3f * chosen.Length);
            return mean;
        }
        var vector = new float[width];
        new BiLmSentenceEncoder(model, layer: 2).Encode("the lazy  zebra", vector);
        Assert.Equal(Mean(2), vector, (a, b) => Math.Abs(a - b) < 1e-6f);
        new BiLmSentenceEncoder(model).Encode("the lazy zebra", vector);
        Assert.Equal(Mean(0, 1, 2), vector, (a, b) => Math.Abs(a - b) < 1e-6f);
        new BiLmSentenceEncoder(model).Encode("  ", vector);
        Assert.All(vector, v => Assert.Equal(0f, v));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BiLmSentenceEncoder(model, layer: 3));
    }

    [Fact]
    public void One_and_two_threads_train_the_same_bits()
    {
        float[][] Train(int threads)
        {
            using BidirectionalLanguageModel model = Tiny(dimension: 32, dropout: 0.1f);
            BiLmTrainer.Train(model, Corpus, Corpus.Take(30).ToList(), new BiLmTrainingOptions { Iterations = 4, BatchSize = 8, WarmupIterations = 1, Threads = threads },
                null, null, TimeSpan.FromHours(1), CancellationToken.None);
            return [.. model.Parameters().Select(p => p.ToArray())];
        }
        float[][] one = Train(1), two = Train(2);
        for (int i = 0; i < one.Length; i++) Assert.Equal(one[i], two[i]);
    }

    [Fact]
    public void A_model_json_with_another_shape_is_invalid_data()
    {
        using BidirectionalLanguageModel model = Tiny();
        BiLmCheckpoint.Save(model, _folder);
        string json = Path.Combine(_folder, ContextualCheckpoint.ConfigFile);
        File.WriteAllText(json, File.ReadAllText(json).Replace("\"buckets\": 40", "\"buckets\": 41", StringComparison.Ordinal));
        var e = Assert.Throws<InvalidDataException>(() => BiLmCheckpoint.Load(_folder));
        Assert.Contains("token_encoder.weight", e.Message, StringComparison.Ordinal);
        Assert.False(BiLmCheckpoint.Holds(Path.Combine(_folder, "absent")));
    }
}
