using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Models.FastText;
using EmbedEngine.Models.Word2Vec;
using EmbedEngine.Text;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.Tests;

/// <summary>
/// fastText trained on ILGPU's CPU accelerator (the GPU path, emulated): the topic structure must come out, and the
/// saved .bin must load on the CPU and give the same vectors, n-gram rows included (an unseen word's vector).
/// </summary>
public sealed class FastTextGpuTrainerTests
{
    private static FastTextOptions Small(Word2VecArchitecture architecture) => new()
    {
        Architecture = architecture,
        Dimension = 16,
        Window = 3,
        Sample = 0,
        MinCount = 1,
        Epochs = 5,
        Buckets = 5_000,
        Threads = 1,
        Seed = 42,
    };

    [Theory]
    [InlineData(Word2VecArchitecture.SkipGram)]
    [InlineData(Word2VecArchitecture.Cbow)]
    public void Emulated_gpu_training_separates_the_topics_and_the_saved_model_loads_on_the_cpu(Word2VecArchitecture architecture)
    {
        using var corpus = new TopicCorpus(lines: 300);
        using var device = GpuDevice.Open("emulated");
        FastTextOptions options = Small(architecture);
        Vocabulary vocabulary = Vocabulary.Build(corpus.Path, options.MinCount);
        using FastTextResult result = FastTextTrainer.Train(corpus.Path, vocabulary, options, device);
        using KeyedVectors vectors = result.Model.ToKeyedVectors();

        double within = (VectorMeasures.MeanSimilarity(vectors, TopicCorpus.Topic('a'), TopicCorpus.Topic('a'))
                       + VectorMeasures.MeanSimilarity(vectors, TopicCorpus.Topic('b'), TopicCorpus.Topic('b'))) / 2;
        double across = VectorMeasures.MeanSimilarity(vectors, TopicCorpus.Topic('a'), TopicCorpus.Topic('b'));
        Assert.True(within > across + 0.3, $"within-topic {within:F3}, across-topic {across:F3}");
        Assert.Equal(options.Epochs * vocabulary.TotalWords, result.Final.WordsProcessed);

        string path = Path.Combine(Path.GetTempPath(), $"embed-gpu-fasttext-{Guid.NewGuid():N}.bin");
        try
        {
            FastTextBinaryFile.Save(result.Model, path);
            using FastTextModel loaded = FastTextBinaryFile.Load(path);
            using KeyedVectors reloaded = loaded.ToKeyedVectors();
            Assert.Equal(VectorMeasures.Flatten(vectors), VectorMeasures.Flatten(reloaded));
            float[] unseen = loaded.WordVector("a1b");
            Assert.Equal(result.Model.WordVector("a1b"), unseen);
            Assert.Contains(unseen, v => v != 0f);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
