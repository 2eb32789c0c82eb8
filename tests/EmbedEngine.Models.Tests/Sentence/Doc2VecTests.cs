using EmbedEngine.Kernels;
using EmbedEngine.Models.Sentence;

namespace EmbedEngine.Models.Tests.Sentence;

/// <summary>PV-DBOW paragraph vectors: documents of one topic end up together, inference places new text by its topic and changes no weight.</summary>
public sealed class Doc2VecTests
{
    private static readonly string[] Sport = ["match", "goal", "team", "player", "score", "coach", "league", "win"];
    private static readonly string[] Food = ["bread", "cheese", "soup", "salad", "cook", "bake", "dinner", "taste"];

    /// <summary>40 documents, alternating topics, each 12 words drawn from its topic's list.</summary>
    private static List<string[]> Documents()
    {
        var random = new Random(3);
        return [.. Enumerable.Range(0, 40).Select(d => Enumerable.Range(0, 12).Select(_ => (d % 2 == 0 ? Sport : Food)[random.Next(8)]).ToArray())];
    }

    private static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        DotKernel.Dot(a, b) / Math.Sqrt(DotKernel.Dot(a, a) * (double)DotKernel.Dot(b, b));

    private static Doc2VecOptions Options(bool trainWords = false) =>
        new() { Dimension = 16, Epochs = 40, MinCount = 1, Sample = 0, LearningRate = 0.05f, Threads = 1, TrainWords = trainWords };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Documents_of_a_topic_end_up_closer_to_each_other_than_to_the_other_topic(bool trainWords)
    {
        using Doc2VecModel model = Doc2VecTrainer.Train(Documents(), Options(trainWords));
        double same = 0, across = 0;
        int sameCount = 0, acrossCount = 0;
        for (int i = 0; i < 40; i++)
            for (int j = i + 1; j < 40; j++)
            {
                double cosine = Cosine(model.DocumentVectors.Row(i), model.DocumentVectors.Row(j));
                if (i % 2 == j % 2) (same, sameCount) = (same + cosine, sameCount + 1);
                else (across, acrossCount) = (across + cosine, acrossCount + 1);
            }
        same /= sameCount;
        across /= acrossCount;
        Assert.True(same > across + 0.5, $"same topic {same:F3}, across {across:F3}");
    }

    [Fact]
    public void Inference_places_a_new_text_by_its_topic_and_leaves_the_weights_alone()
    {
        using Doc2VecModel model = Doc2VecTrainer.Train(Documents(), Options());
        float[] output = model.Output.Row(0).ToArray();
        var encoder = new Doc2VecSentenceEncoder(model);
        float[] sport = new float[16], again = new float[16];
        encoder.Encode("The coach saw the team win the match!", sport);
        Assert.Equal(output, model.Output.Row(0).ToArray());
        encoder.Encode("The coach saw the team win the match!", again);
        Assert.Equal(sport, again);
        double toSport = Enumerable.Range(0, 20).Average(d => Cosine(sport, model.DocumentVectors.Row(2 * d)));
        double toFood = Enumerable.Range(0, 20).Average(d => Cosine(sport, model.DocumentVectors.Row(2 * d + 1)));
        Assert.True(toSport > toFood + 0.3, $"to sport documents {toSport:F3}, to food {toFood:F3}");
        encoder.Encode("nothing known here", again);
        Assert.All(again, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void One_thread_trains_the_same_vectors_from_the_same_seed_and_bad_options_are_refused()
    {
        using Doc2VecModel first = Doc2VecTrainer.Train(Documents(), Options() with { Epochs = 3 });
        using Doc2VecModel second = Doc2VecTrainer.Train(Documents(), Options() with { Epochs = 3 });
        for (int d = 0; d < 40; d++) Assert.Equal(first.DocumentVectors.Row(d).ToArray(), second.DocumentVectors.Row(d).ToArray());
        Assert.Throws<ArgumentException>(() => Doc2VecTrainer.Train(Documents(), Options() with { Negative = 0 }));
        Assert.Throws<ArgumentException>(() => Doc2VecTrainer.Train(Documents(), Options() with { MinCount = 100 }));
    }
}

/// <summary>The Doc2Vec file: a round trip keeps every matrix and inference, and damaged files are refused.</summary>
public sealed class Doc2VecFileTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "d2v-" + Guid.NewGuid().ToString("N") + ".safetensors");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void A_saved_model_loads_with_the_same_vectors_and_inference()
    {
        var random = new Random(5);
        List<string[]> documents = [.. Enumerable.Range(0, 12).Select(d => Enumerable.Range(0, 8).Select(_ => $"w{random.Next(10)}").ToArray())];
        using Doc2VecModel model = Doc2VecTrainer.Train(documents, new Doc2VecOptions { Dimension = 8, Epochs = 3, MinCount = 1, Threads = 1 });
        Doc2VecFile.Save(model, _path);
        using Doc2VecModel loaded = Doc2VecFile.Load(_path);
        Assert.Equal(model.Options with { Threads = 0 }, loaded.Options); // the thread count is not part of the model
        Assert.Equal(model.Vocabulary.Words, loaded.Vocabulary.Words);
        for (int d = 0; d < 12; d++) Assert.Equal(model.DocumentVectors.Row(d).ToArray(), loaded.DocumentVectors.Row(d).ToArray());
        float[] a = new float[8], b = new float[8];
        model.Infer(["w1", "w2", "w3"], a);
        loaded.Infer(["w1", "w2", "w3"], b);
        Assert.Equal(a, b);
        File.WriteAllBytes(_path, File.ReadAllBytes(_path)[..40]);
        Assert.Throws<InvalidDataException>(() => Doc2VecFile.Load(_path));
        Assert.Throws<FileNotFoundException>(() => Doc2VecFile.Load(_path + ".absent"));
    }
}
