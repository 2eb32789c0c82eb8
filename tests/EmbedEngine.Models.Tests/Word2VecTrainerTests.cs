using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Models.Training;
using EmbedEngine.Models.Word2Vec;
using EmbedEngine.Text;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.Tests;

public sealed class Word2VecTrainerTests
{
    private static Word2VecOptions Small(Word2VecArchitecture architecture) => new()
    {
        Architecture = architecture,
        Dimension = 16,
        Window = 3,
        Sample = 0,
        MinCount = 1,
        Epochs = 3,
        Threads = 1,
        Seed = 42,
    };

    public static TheoryData<string> Configurations() =>
        ["skipgram-negative", "cbow-negative", "skipgram-hs", "cbow-hs", "skipgram-shared-negatives", "skipgram-both", "skipgram-2-threads",
            "skipgram-2-threads-in-place", "cbow-2-threads"];

    private static Word2VecOptions Configure(string name) => name switch
    {
        "skipgram-negative" => Small(Word2VecArchitecture.SkipGram),
        "cbow-negative" => Small(Word2VecArchitecture.Cbow),
        "skipgram-hs" => Small(Word2VecArchitecture.SkipGram) with { Negative = 0, HierarchicalSoftmax = true },
        "cbow-hs" => Small(Word2VecArchitecture.Cbow) with { Negative = 0, HierarchicalSoftmax = true },
        "skipgram-shared-negatives" => Small(Word2VecArchitecture.SkipGram) with { SharedNegatives = true },
        "skipgram-both" => Small(Word2VecArchitecture.SkipGram) with { HierarchicalSoftmax = true },
        // Real runs' width: at 16 dimensions each of the 20 output rows is one cache line that both threads update
        // between every prediction, and the negatives' lock-free updates lost in the ping-pong pull every vector
        // together (word2vec.c does the same once its noise table fits in cache). Wider rows spread the work.
        "skipgram-2-threads-in-place" => Small(Word2VecArchitecture.SkipGram) with { Threads = 2, Dimension = 100, StagedRows = 0 },
        // Every one of the 20 output rows staged: each thread trains its own copies, merged every 50,000 words and at the end.
        "skipgram-2-threads" => Small(Word2VecArchitecture.SkipGram) with { Threads = 2, Dimension = 100 },
        "cbow-2-threads" => Small(Word2VecArchitecture.Cbow) with { Threads = 2, Dimension = 100 },
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Every_configuration_separates_the_two_topics(string configuration)
    {
        using var corpus = new TopicCorpus();
        Word2VecResult result = Word2VecTrainer.Train(corpus.Path, Configure(configuration));
        using KeyedVectors vectors = result.Vectors;

        double within = VectorMeasures.MeanSimilarity(vectors, TopicCorpus.Topic('a'), TopicCorpus.Topic('a'))
                      + VectorMeasures.MeanSimilarity(vectors, TopicCorpus.Topic('b'), TopicCorpus.Topic('b'));
        double across = 2 * VectorMeasures.MeanSimilarity(vectors, TopicCorpus.Topic('a'), TopicCorpus.Topic('b'));
        Assert.True(within / 2 > across / 2 + 0.3, $"within-topic {within / 2:F3}, across-topic {across / 2:F3}");
        Assert.Equal(20, vectors.Count);
        Assert.Equal(Configure(configuration).Dimension, vectors.Dimension);
    }

    [Fact]
    public void One_thread_with_one_seed_is_deterministic_and_the_seed_matters()
    {
        using var corpus = new TopicCorpus(lines: 300);
        float[] first = VectorMeasures.Flatten(Word2VecTrainer.Train(corpus.Path, Small(Word2VecArchitecture.SkipGram)).Vectors);
        float[] second = VectorMeasures.Flatten(Word2VecTrainer.Train(corpus.Path, Small(Word2VecArchitecture.SkipGram)).Vectors);
        float[] reseeded = VectorMeasures.Flatten(Word2VecTrainer.Train(corpus.Path, Small(Word2VecArchitecture.SkipGram) with { Seed = 43 }).Vectors);
        Assert.Equal(first, second);
        Assert.NotEqual(first, reseeded);
    }

    [Fact]
    public void Loss_falls_and_progress_reaches_every_word_of_every_epoch()
    {
        using var corpus = new TopicCorpus();
        var snapshots = new List<TrainingProgress>();
        Word2VecResult result = Word2VecTrainer.Train(corpus.Path, Small(Word2VecArchitecture.SkipGram) with { Epochs = 4 },
            snapshots.Add, TimeSpan.FromMilliseconds(1));
        result.Vectors.Dispose();

        TrainingProgress final = result.Final;
        Assert.Equal(4 * result.Vocabulary.TotalWords, final.WordsProcessed);
        Assert.Equal(final.TotalWords, final.WordsProcessed);
        Assert.Equal(4, final.Epoch);
        Assert.InRange(final.LearningRate, 0.025f * 1e-4f, 0.025f * 0.01f);
        var losses = snapshots.Where(s => !double.IsNaN(s.Loss)).Select(s => s.Loss).ToList();
        Assert.True(losses.Count >= 2, $"only {losses.Count} loss readings");
        Assert.True(losses[^1] < losses[0], $"loss went from {losses[0]:F4} to {losses[^1]:F4}");
    }

    [Fact]
    public void A_corpus_without_frequent_words_is_a_clear_error()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "every word here is unique\n");
            var error = Assert.Throws<CorpusException>(() => Word2VecTrainer.Train(path, new Word2VecOptions()));
            Assert.Contains(Path.GetFileName(path), error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("dimension")]
    [InlineData("window")]
    [InlineData("negative")]
    [InlineData("shared")]
    [InlineData("staged rows")]
    public void Options_out_of_range_are_rejected_before_reading_the_corpus(string broken)
    {
        Word2VecOptions options = broken switch
        {
            "dimension" => new Word2VecOptions { Dimension = 0 },
            "window" => new Word2VecOptions { Window = -1 },
            "negative" => new Word2VecOptions { Negative = 0, HierarchicalSoftmax = false },
            "staged rows" => new Word2VecOptions { StagedRows = -1 },
            _ => new Word2VecOptions { SharedNegatives = true, Architecture = Word2VecArchitecture.Cbow },
        };
        var error = Assert.Throws<ArgumentException>(() => Word2VecTrainer.Train("/nonexistent/corpus.txt", options));
        Assert.Contains(broken == "shared" ? "shared negatives" : broken, error.Message);
    }

    /// <summary>
    /// The GPU path on ILGPU's CPU accelerator: the topics must come out and the saved vectors load on the CPU
    /// unchanged. A fifth of the corpus, for the emulator's sake.
    /// </summary>
    [Theory]
    [InlineData(Word2VecArchitecture.SkipGram)]
    [InlineData(Word2VecArchitecture.Cbow)]
    public void Emulated_gpu_training_separates_the_topics_and_the_saved_vectors_load_on_the_cpu(Word2VecArchitecture architecture)
    {
        using var corpus = new TopicCorpus(lines: 400);
        using var device = GpuDevice.Open("emulated");
        Word2VecOptions options = Small(architecture) with { Epochs = 5 };
        Vocabulary vocabulary = Vocabulary.Build(corpus.Path, options.MinCount);
        Word2VecResult result = Word2VecTrainer.Train(corpus.Path, vocabulary, options, device);
        using KeyedVectors vectors = result.Vectors;

        VectorMeasures.AssertTopicsSeparate(vectors);
        Assert.Equal(options.Epochs * vocabulary.TotalWords, result.Final.WordsProcessed);
        Assert.InRange(result.Final.Loss, 0.01, 2);
        using KeyedVectors loaded = VectorMeasures.SavedAndLoaded(vectors, VectorFormat.Word2VecBinary);
        Assert.Equal(vectors.Words, loaded.Words);
        Assert.Equal(VectorMeasures.Flatten(vectors), VectorMeasures.Flatten(loaded));
    }

    [Fact]
    public void Hierarchical_softmax_has_no_gpu_kernel_and_says_so()
    {
        using var corpus = new TopicCorpus(lines: 20);
        using var device = GpuDevice.Open("emulated");
        Vocabulary vocabulary = Vocabulary.Build(corpus.Path, 1);
        var error = Assert.Throws<ArgumentException>(() => Word2VecTrainer.Train(corpus.Path, vocabulary,
            Small(Word2VecArchitecture.SkipGram) with { HierarchicalSoftmax = true }, device));
        Assert.Contains("negative sampling only", error.Message, StringComparison.Ordinal);
        Assert.Contains("emulated", error.Message, StringComparison.Ordinal);
    }
}
