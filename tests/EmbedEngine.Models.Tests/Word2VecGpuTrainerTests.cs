using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Models.Word2Vec;
using EmbedEngine.Text;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.Tests;

/// <summary>
/// word2vec trained on ILGPU's CPU accelerator (the GPU path, emulated): a planted topic structure must come out,
/// and the saved vectors must load on the CPU unchanged. The corpus is a fifth of the CPU tests' (the emulator runs
/// a group's threads as host threads).
/// </summary>
public sealed class Word2VecGpuTrainerTests
{
    private static Word2VecOptions Small(Word2VecArchitecture architecture) => new()
    {
        Architecture = architecture,
        Dimension = 16,
        Window = 3,
        Sample = 0,
        MinCount = 1,
        Epochs = 5,
        Threads = 1,
        Seed = 42,
    };

    [Theory]
    [InlineData(Word2VecArchitecture.SkipGram)]
    [InlineData(Word2VecArchitecture.Cbow)]
    public void Emulated_gpu_training_separates_the_topics_and_the_saved_vectors_load_on_the_cpu(Word2VecArchitecture architecture)
    {
        using var corpus = new TopicCorpus(lines: 400);
        using var device = GpuDevice.Open("emulated");
        Word2VecOptions options = Small(architecture);
        Vocabulary vocabulary = Vocabulary.Build(corpus.Path, options.MinCount);
        Word2VecResult result = Word2VecTrainer.Train(corpus.Path, vocabulary, options, device);
        using KeyedVectors vectors = result.Vectors;

        double within = (VectorMeasures.MeanSimilarity(vectors, TopicCorpus.Topic('a'), TopicCorpus.Topic('a'))
                       + VectorMeasures.MeanSimilarity(vectors, TopicCorpus.Topic('b'), TopicCorpus.Topic('b'))) / 2;
        double across = VectorMeasures.MeanSimilarity(vectors, TopicCorpus.Topic('a'), TopicCorpus.Topic('b'));
        Assert.True(within > across + 0.3, $"within-topic {within:F3}, across-topic {across:F3}");
        Assert.Equal(options.Epochs * vocabulary.TotalWords, result.Final.WordsProcessed);
        Assert.InRange(result.Final.Loss, 0.01, 2);

        string path = Path.Combine(Path.GetTempPath(), $"embed-gpu-w2v-{Guid.NewGuid():N}.bin");
        try
        {
            VectorFile.Save(vectors, path, VectorFormat.Word2VecBinary);
            using KeyedVectors loaded = VectorFile.Load(path);
            Assert.Equal(vectors.Words, loaded.Words);
            Assert.Equal(VectorMeasures.Flatten(vectors), VectorMeasures.Flatten(loaded));
        }
        finally
        {
            File.Delete(path);
        }
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
