using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Kernels;
using EmbedEngine.Models.GloVe;
using EmbedEngine.Models.Training;
using EmbedEngine.Text;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.Tests;

public sealed class GloVeTrainerTests
{
    private static GloVeOptions Small => new()
    {
        Dimension = 16,
        Epochs = 15,
        Threads = 1,
        Seed = 42,
        XMax = 10,
    };

    private static (CsrMatrix Counts, Vocabulary Vocabulary) Count(TopicCorpus corpus)
    {
        Vocabulary vocabulary = Vocabulary.Build(corpus.Path, minCount: 1);
        return (CooccurrenceCounter.Count(corpus.Path, vocabulary, new CooccurrenceOptions { Window = 5 }), vocabulary);
    }

    [Theory]
    [InlineData(GloVeOutput.Sum, 1)]
    [InlineData(GloVeOutput.WordOnly, 1)]
    [InlineData(GloVeOutput.ContextOnly, 1)]
    [InlineData(GloVeOutput.Sum, 2)]
    public void Every_output_separates_the_two_topics(GloVeOutput output, int threads)
    {
        using var corpus = new TopicCorpus(mixedLines: 0.2);
        var (counts, vocabulary) = Count(corpus);
        GloVeResult result = GloVeTrainer.Train(counts, vocabulary, Small with { Output = output, Threads = threads });
        using KeyedVectors vectors = result.Vectors;

        double within = (VectorMeasures.MeanSimilarity(vectors, TopicCorpus.Topic('a'), TopicCorpus.Topic('a'))
                       + VectorMeasures.MeanSimilarity(vectors, TopicCorpus.Topic('b'), TopicCorpus.Topic('b'))) / 2;
        double across = VectorMeasures.MeanSimilarity(vectors, TopicCorpus.Topic('a'), TopicCorpus.Topic('b'));
        Assert.True(within > across + 0.3, $"within-topic {within:F3}, across-topic {across:F3}");
        Assert.Equal(20, vectors.Count);
        Assert.Equal(16, vectors.Dimension);
        Assert.Equal(vocabulary.Words, vectors.Words);
    }

    [Fact]
    public void One_thread_with_one_seed_is_deterministic_and_the_seed_matters()
    {
        using var corpus = new TopicCorpus(lines: 300);
        var (counts, vocabulary) = Count(corpus);
        float[] first = VectorMeasures.Flatten(GloVeTrainer.Train(counts, vocabulary, Small).Vectors);
        float[] second = VectorMeasures.Flatten(GloVeTrainer.Train(counts, vocabulary, Small).Vectors);
        float[] reseeded = VectorMeasures.Flatten(GloVeTrainer.Train(counts, vocabulary, Small with { Seed = 43 }).Vectors);
        Assert.Equal(first, second);
        Assert.NotEqual(first, reseeded);
    }

    [Fact]
    public void Loss_falls_and_progress_counts_every_entry_of_every_epoch()
    {
        using var corpus = new TopicCorpus();
        var (counts, vocabulary) = Count(corpus);
        GloVeResult oneEpoch = GloVeTrainer.Train(counts, vocabulary, Small with { Epochs = 1 });
        oneEpoch.Vectors.Dispose();
        var snapshots = new List<TrainingProgress>();
        GloVeResult result = GloVeTrainer.Train(counts, vocabulary, Small, snapshots.Add, TimeSpan.FromMilliseconds(1));
        result.Vectors.Dispose();

        TrainingProgress final = result.Final;
        Assert.Equal(15 * counts.NonZeros, final.WordsProcessed);
        Assert.Equal(final.TotalWords, final.WordsProcessed);
        Assert.Equal(15, final.Epoch);
        Assert.Equal(0.05f, final.LearningRate);
        Assert.Same(final, snapshots[^1]);
        // The last interval of a 15-epoch run (at most the whole run) costs less per entry than the first epoch.
        Assert.True(final.Loss < oneEpoch.Final.Loss, $"loss went from {oneEpoch.Final.Loss:F4} to {final.Loss:F4}");
    }

    [Fact]
    public void A_vocabulary_that_does_not_fit_the_matrix_is_a_clear_error()
    {
        using var corpus = new TopicCorpus(lines: 50);
        var (counts, _) = Count(corpus);
        Vocabulary other = Vocabulary.FromCounts([("x", 3), ("y", 2)]);
        var error = Assert.Throws<ArgumentException>(() => GloVeTrainer.Train(counts, other, Small));
        Assert.Contains("2 words", error.Message);
        Assert.Contains($"{counts.Rows} rows", error.Message);
    }

    [Theory]
    [InlineData("dimension")]
    [InlineData("epochs")]
    [InlineData("learning rate")]
    [InlineData("x-max")]
    [InlineData("alpha")]
    [InlineData("gradient clip")]
    [InlineData("threads")]
    [InlineData("output")]
    public void Options_out_of_range_are_rejected(string broken)
    {
        GloVeOptions options = broken switch
        {
            "dimension" => new GloVeOptions { Dimension = 0 },
            "epochs" => new GloVeOptions { Epochs = 0 },
            "learning rate" => new GloVeOptions { LearningRate = -0.1f },
            "x-max" => new GloVeOptions { XMax = 0 },
            "alpha" => new GloVeOptions { Alpha = float.NaN },
            "gradient clip" => new GloVeOptions { GradientClip = 0 },
            "threads" => new GloVeOptions { Threads = 0 },
            _ => new GloVeOptions { Output = (GloVeOutput)7 },
        };
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains(broken, error.Message);
    }

    [Fact]
    public void Defaults_are_stanford_glove_defaults()
    {
        var options = new GloVeOptions();
        Assert.Equal((50, 25, 0.05f, 100f, 0.75f, 100f, 1UL, GloVeOutput.Sum),
            (options.Dimension, options.Epochs, options.LearningRate, options.XMax, options.Alpha, options.GradientClip, options.Seed, options.Output));
        options.Validate();
    }

    /// <summary>The GPU path on ILGPU's CPU accelerator: the topics must come out and the saved vectors load on the CPU.</summary>
    [Fact]
    public void Emulated_gpu_training_separates_the_topics_and_the_saved_vectors_load_on_the_cpu()
    {
        using var corpus = new TopicCorpus(mixedLines: 0.2);
        var (counts, vocabulary) = Count(corpus);
        using var device = GpuDevice.Open("emulated");
        GloVeResult result = GloVeTrainer.Train(counts, vocabulary, Small, device);
        using KeyedVectors vectors = result.Vectors;

        VectorMeasures.AssertTopicsSeparate(vectors);
        Assert.Equal(counts.NonZeros * Small.Epochs, result.Final.WordsProcessed);
        Assert.True(double.IsFinite(result.Final.Loss) && result.Final.Loss > 0, $"final cost {result.Final.Loss}");
        using KeyedVectors loaded = VectorMeasures.SavedAndLoaded(vectors, VectorFormat.Word2VecBinary);
        Assert.Equal(vectors.Words, loaded.Words);
        Assert.Equal(VectorMeasures.Flatten(vectors), VectorMeasures.Flatten(loaded));
    }
}
