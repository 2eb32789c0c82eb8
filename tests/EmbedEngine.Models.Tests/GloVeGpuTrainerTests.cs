using EmbedEngine.Kernels;
using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Models.GloVe;
using EmbedEngine.Text;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.Tests;

/// <summary>GloVe trained on ILGPU's CPU accelerator (the GPU path, emulated), on the CPU tests' topic corpus.</summary>
public sealed class GloVeGpuTrainerTests
{
    [Fact]
    public void Emulated_gpu_training_separates_the_topics_and_the_saved_vectors_load_on_the_cpu()
    {
        using var corpus = new TopicCorpus(mixedLines: 0.2);
        Vocabulary vocabulary = Vocabulary.Build(corpus.Path, minCount: 1);
        CsrMatrix counts = CooccurrenceCounter.Count(corpus.Path, vocabulary, new CooccurrenceOptions { Window = 5 });
        using var device = GpuDevice.Open("emulated");
        var options = new GloVeOptions { Dimension = 16, Epochs = 15, Threads = 1, Seed = 42, XMax = 10 };
        GloVeResult result = GloVeTrainer.Train(counts, vocabulary, options, device);
        using KeyedVectors vectors = result.Vectors;

        double within = (VectorMeasures.MeanSimilarity(vectors, TopicCorpus.Topic('a'), TopicCorpus.Topic('a'))
                       + VectorMeasures.MeanSimilarity(vectors, TopicCorpus.Topic('b'), TopicCorpus.Topic('b'))) / 2;
        double across = VectorMeasures.MeanSimilarity(vectors, TopicCorpus.Topic('a'), TopicCorpus.Topic('b'));
        Assert.True(within > across + 0.3, $"within-topic {within:F3}, across-topic {across:F3}");
        Assert.Equal(counts.NonZeros * options.Epochs, result.Final.WordsProcessed);
        Assert.True(double.IsFinite(result.Final.Loss) && result.Final.Loss > 0, $"final cost {result.Final.Loss}");

        string path = Path.Combine(Path.GetTempPath(), $"embed-gpu-glove-{Guid.NewGuid():N}.txt");
        try
        {
            VectorFile.Save(vectors, path, VectorFormat.Word2VecText);
            using KeyedVectors loaded = VectorFile.Load(path);
            Assert.Equal(vectors.Words, loaded.Words);
            float[] expected = VectorMeasures.Flatten(vectors), actual = VectorMeasures.Flatten(loaded);
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-6f);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
