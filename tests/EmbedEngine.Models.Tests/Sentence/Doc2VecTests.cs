using System.Text.Json.Nodes;
using EmbedEngine.Kernels;
using EmbedEngine.Models.Sentence;
using EmbedEngine.Models.Training;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.IO;
using EmbedEngine.Text;

namespace EmbedEngine.Models.Tests.Sentence;

/// <summary>
/// PV-DBOW and PV-DM paragraph vectors: documents of one topic end up together, inference places new text by its
/// topic and changes no weight, PV-DM reads gensim's mean input.
/// </summary>
public sealed class Doc2VecTests
{
    private static readonly string[] Sport = ["match", "goal", "team", "player", "score", "coach", "league", "win"];
    private static readonly string[] Food = ["bread", "cheese", "soup", "salad", "cook", "bake", "dinner", "taste"];
    private static readonly string[] Common = ["the", "a", "of", "and", "to", "in", "is", "it", "was", "for", "on", "with"];

    /// <summary>
    /// 40 documents of 30 words, alternating topics: each word is one of its topic's words with probability 0.3, else a
    /// common word. The common words make the context of most words topic-free, so PV-DM, whose context words would
    /// otherwise tell the topic alone, needs the document vector to carry it, as in real text.
    /// </summary>
    private static List<string[]> Documents()
    {
        var random = new Random(3);
        return [.. Enumerable.Range(0, 40).Select(d => Enumerable.Range(0, 30)
            .Select(_ => random.NextDouble() < 0.3 ? (d % 2 == 0 ? Sport : Food)[random.Next(Sport.Length)] : Common[random.Next(Common.Length)]).ToArray())];
    }

    private static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        DotKernel.Dot(a, b) / Math.Sqrt(DotKernel.Dot(a, a) * (double)DotKernel.Dot(b, b));

    private static Doc2VecOptions Options(bool trainWords = false, bool distributedMemory = false) =>
        new() { Dimension = 16, Epochs = 40, MinCount = 1, Sample = 0, LearningRate = 0.05f, Threads = 1, TrainWords = trainWords, DistributedMemory = distributedMemory };

    /// <summary>The training documents nearest <paramref name="vector"/> by cosine, nearest first.</summary>
    private static int[] Nearest(Doc2VecModel model, float[] vector, int count) =>
        [.. Enumerable.Range(0, model.DocumentVectors.Rows).OrderByDescending(d => Cosine(vector, model.DocumentVectors.Row(d))).Take(count)];

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Documents_of_a_topic_end_up_closer_to_each_other_than_to_the_other_topic(bool trainWords, bool distributedMemory)
    {
        using Doc2VecModel model = Doc2VecTrainer.Train(Documents(), Options(trainWords, distributedMemory));
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
        Assert.True(same > across + 0.35, $"same topic {same:F3}, across {across:F3}");
        for (int d = 0; d < 40; d++) Assert.Equal(d % 2, Nearest(model, model.DocumentVectors.Row(d).ToArray(), 2)[1] % 2);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Inference_places_a_new_text_by_its_topic_and_leaves_the_weights_alone(bool distributedMemory)
    {
        using Doc2VecModel model = Doc2VecTrainer.Train(Documents(), Options(distributedMemory: distributedMemory));
        float[] output = model.Output.Row(0).ToArray(), word = model.WordVectors.Row(0).ToArray(), document = model.DocumentVectors.Row(0).ToArray();
        var encoder = new Doc2VecSentenceEncoder(model);
        float[] sport = new float[16], food = new float[16], again = new float[16];
        encoder.Encode("The coach saw the team win the match!", sport);
        encoder.Encode("We bake bread and cook soup for dinner.", food);
        Assert.Equal(output, model.Output.Row(0).ToArray());
        Assert.Equal(word, model.WordVectors.Row(0).ToArray());
        Assert.Equal(document, model.DocumentVectors.Row(0).ToArray());
        encoder.Encode("The coach saw the team win the match!", again);
        Assert.Equal(sport, again);
        Assert.All(Nearest(model, sport, 5), d => Assert.Equal(0, d % 2)); // sport documents are the even ones
        Assert.All(Nearest(model, food, 5), d => Assert.Equal(1, d % 2));
        double toSport = Enumerable.Range(0, 20).Average(d => Cosine(sport, model.DocumentVectors.Row(2 * d)));
        double toFood = Enumerable.Range(0, 20).Average(d => Cosine(sport, model.DocumentVectors.Row(2 * d + 1)));
        Assert.True(toSport > toFood + 0.3, $"to sport documents {toSport:F3}, to food {toFood:F3}");
        encoder.Encode("nothing known here", again);
        Assert.All(again, v => Assert.Equal(0f, v));
    }

    /// <summary>A PV-DBOW model of one word "w" (so every noise draw is the word itself and is skipped) whose output row is <paramref name="output"/>.</summary>
    private static Doc2VecModel OneWordModel(float[] output)
    {
        var options = new Doc2VecOptions { Dimension = output.Length, Epochs = 2, MinCount = 1, Sample = 0, LearningRate = 0.5f, MinLearningRate = 0.1f };
        Vocabulary vocabulary = Vocabulary.FromCounts([("w", 10L)]);
        NativeMatrix documents = NativeMatrix.Allocate(1, output.Length, padRows: true), words = NativeMatrix.Allocate(1, output.Length, padRows: true),
            rows = NativeMatrix.Allocate(1, output.Length, padRows: true);
        output.CopyTo(rows.Row(0));
        return new Doc2VecModel(options, vocabulary, documents, words, rows, new NoiseSampler(vocabulary));
    }

    /// <summary>The vector inference starts from: uniform in ±0.5/dim from the seed's first draws.</summary>
    private static float[] Start(int dimension, ulong seed)
    {
        var random = new FastRandom(seed);
        return [.. Enumerable.Range(0, dimension).Select(_ => (random.NextFloat() - 0.5f) / dimension)];
    }

    [Fact]
    public void Inference_steps_from_alpha_on_the_first_pass_to_min_alpha_on_the_last_and_skips_a_saturated_score_as_gensim()
    {
        float[] start = Start(4, 9), output = [2f, -1f, 0.5f, 3f];
        using (Doc2VecModel model = OneWordModel(output))
        {
            float[] vector = new float[4];
            Assert.Equal(1, model.Infer(["w", "unknown"], vector, seed: 9));
            // Two passes over "w" (its noise draws are "w" itself, skipped): alpha 0.5, then min_alpha 0.1 (gensim's
            // infer_vector; the rate was 0.3 on the second pass before), each through gensim's sigmoid table.
            float[] expected = (float[])start.Clone();
            foreach (float lr in new[] { 0.5f, 0.1f })
            {
                float g = Sigmoid.Residual(DotKernel.Dot(expected, output), 1f, SigmoidMode.SkipSaturated) * lr;
                for (int c = 0; c < 4; c++) expected[c] += g * output[c];
            }
            Assert.Equal(expected, vector, (a, b) => Math.Abs(a - b) < 1e-6f);
            Assert.Equal([0.5012f, -0.1651f, 0.0552f, 0.7546f], vector, (a, b) => Math.Abs(a - b) < 1e-4f);
        }
        // An output row whose score with the start is -7: gensim makes no update beyond ±6 (an exact sigmoid would pull
        // the vector by almost the whole rate), so the vector stays at its start.
        double squared = start.Sum(v => (double)v * v);
        float[] against = [.. start.Select(v => (float)(-7 * v / squared))];
        using (Doc2VecModel model = OneWordModel(against))
        {
            float[] vector = new float[4];
            model.Infer(["w"], vector, seed: 9);
            Assert.Equal(start, vector);
        }
    }

    [Fact]
    public void Shared_draws_give_equal_sentences_equal_vectors_and_fresh_draws_as_gensim_do_not()
    {
        using Doc2VecModel model = Doc2VecTrainer.Train(Documents(), Options());
        var shared = new Doc2VecSentenceEncoder(model);
        var fresh = new Doc2VecSentenceEncoder(model, random: Doc2VecInferenceRandom.Fresh);
        Assert.True(shared.IsThreadSafe);
        Assert.False(fresh.IsThreadSafe); // its draws follow the order of the calls
        float[] a = new float[16], b = new float[16], c = new float[16], d = new float[16];
        shared.Encode("The coach saw the team win the match!", a);
        shared.Encode("the coach saw the team win the match", b);
        Assert.Equal(a, b);
        fresh.Encode("The coach saw the team win the match!", c);
        fresh.Encode("The coach saw the team win the match!", d);
        Assert.NotEqual(c, d);
        Assert.NotEqual(a, c);
        Assert.True(Cosine(c, d) > 0.9, $"two draws of one sentence {Cosine(c, d):F3}"); // the same sentence still, inferred twice
        Assert.True(Cosine(a, c) > 0.9, $"shared against fresh {Cosine(a, c):F3}");
        fresh.Encode("nothing known here", d);
        Assert.All(d, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void A_text_seed_is_fnv_1a_of_its_words_with_spaces_mixed_with_the_seed()
    {
        Assert.Equal(14695981039346656037UL, Doc2VecModel.TextSeed([], 0)); // FNV-1a's offset basis
        Assert.Equal(0xaf63dc4c8601ec8cUL, Doc2VecModel.TextSeed(["a"], 0)); // FNV-1a 64 of "a"
        Assert.Equal(6904369849725097162UL, Doc2VecModel.TextSeed(["foo", "bar"], 0)); // of "foo bar"
        Assert.Equal(8274086575516027519UL, Doc2VecModel.TextSeed(["foo", "bar"], 7));
        Assert.NotEqual(Doc2VecModel.TextSeed(["foo", "bar"]), Doc2VecModel.TextSeed(["foobar"]));
    }

    [Fact]
    public void Pv_dm_reads_the_mean_of_the_document_vector_and_the_context_words_within_the_radius()
    {
        using NativeMatrix words = NativeMatrix.Allocate(4, 3, padRows: true);
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 3; c++) words.Row(r)[c] = 10 * r + c;
        int[] kept = [3, 0, 2, 1, 3], context = new int[4];
        Assert.Equal(2, DistributedMemoryInput.Context(kept, 0, 2, context)); // cut at the start
        Assert.Equal([0, 2], context[..2]);
        Assert.Equal(4, DistributedMemoryInput.Context(kept, 2, 2, context));
        Assert.Equal([3, 0, 1, 3], context);
        Assert.Equal(2, DistributedMemoryInput.Context(kept, 3, 1, context));
        Assert.Equal([2, 3], context[..2]);
        float[] document = [4, 5, 6], hidden = new float[3];
        DistributedMemoryInput.Mean(document, words, [2, 3], hidden);
        Assert.Equal([(4 + 20 + 30) / 3f, (5 + 21 + 31) / 3f, (6 + 22 + 32) / 3f], hidden, (a, b) => Math.Abs(a - b) < 1e-5f);
        DistributedMemoryInput.Mean(document, words, [], hidden); // a document of one kept word
        Assert.Equal(document, hidden);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void One_thread_trains_the_same_vectors_from_the_same_seed_and_bad_options_are_refused(bool distributedMemory)
    {
        using Doc2VecModel first = Doc2VecTrainer.Train(Documents(), Options(distributedMemory: distributedMemory) with { Epochs = 3 });
        using Doc2VecModel second = Doc2VecTrainer.Train(Documents(), Options(distributedMemory: distributedMemory) with { Epochs = 3 });
        for (int d = 0; d < 40; d++) Assert.Equal(first.DocumentVectors.Row(d).ToArray(), second.DocumentVectors.Row(d).ToArray());
        for (int w = 0; w < first.Vocabulary.Count; w++) Assert.Equal(first.WordVectors.Row(w).ToArray(), second.WordVectors.Row(w).ToArray());
        Assert.Throws<ArgumentException>(() => Doc2VecTrainer.Train(Documents(), Options(distributedMemory: distributedMemory) with { Negative = 0 }));
        Assert.Throws<ArgumentException>(() => Doc2VecTrainer.Train(Documents(), Options(distributedMemory: distributedMemory) with { MinCount = 100 }));
        Assert.Throws<ArgumentException>(() => Doc2VecTrainer.Train(Documents(), Options(trainWords: true, distributedMemory: true)));
    }

    [Fact]
    public void Pv_dm_trains_the_word_vectors_and_pv_dbow_leaves_them_at_their_start()
    {
        using Doc2VecModel dbow = Doc2VecTrainer.Train(Documents(), Options() with { Epochs = 3 });
        using Doc2VecModel dm = Doc2VecTrainer.Train(Documents(), Options(distributedMemory: true) with { Epochs = 3 });
        for (int w = 0; w < dm.Vocabulary.Count; w++)
            Assert.NotEqual(dbow.WordVectors.Row(w).ToArray(), dm.WordVectors.Row(w).ToArray()); // both start from the same seed
    }
}

/// <summary>The Doc2Vec file: a round trip keeps every matrix, the mode and inference, files from before PV-DM still load, and damaged files are refused.</summary>
public sealed class Doc2VecFileTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "d2v-" + Guid.NewGuid().ToString("N") + ".safetensors");

    public void Dispose() => File.Delete(_path);

    private static Doc2VecModel Train(bool distributedMemory)
    {
        var random = new Random(5);
        List<string[]> documents = [.. Enumerable.Range(0, 12).Select(d => Enumerable.Range(0, 8).Select(_ => $"w{random.Next(10)}").ToArray())];
        return Doc2VecTrainer.Train(documents, new Doc2VecOptions { Dimension = 8, Epochs = 3, MinCount = 1, Threads = 1, DistributedMemory = distributedMemory });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_saved_model_loads_with_the_same_vectors_mode_and_inference(bool distributedMemory)
    {
        using Doc2VecModel model = Train(distributedMemory);
        Doc2VecFile.Save(model, _path);
        using Doc2VecModel loaded = Doc2VecFile.Load(_path);
        Assert.Equal(model.Options with { Threads = 0 }, loaded.Options); // the thread count is not part of the model
        Assert.Equal(distributedMemory, loaded.Options.DistributedMemory);
        Assert.Equal(model.Vocabulary.Words, loaded.Vocabulary.Words);
        for (int d = 0; d < 12; d++) Assert.Equal(model.DocumentVectors.Row(d).ToArray(), loaded.DocumentVectors.Row(d).ToArray());
        for (int w = 0; w < model.Vocabulary.Count; w++) Assert.Equal(model.WordVectors.Row(w).ToArray(), loaded.WordVectors.Row(w).ToArray());
        float[] a = new float[8], b = new float[8];
        model.Infer(["w1", "w2", "w3"], a);
        loaded.Infer(["w1", "w2", "w3"], b);
        Assert.Equal(a, b);
        File.WriteAllBytes(_path, File.ReadAllBytes(_path)[..40]);
        Assert.Throws<InvalidDataException>(() => Doc2VecFile.Load(_path));
        Assert.Throws<FileNotFoundException>(() => Doc2VecFile.Load(_path + ".absent"));
    }

    [Fact]
    public void A_file_without_the_mode_loads_as_pv_dbow_and_a_bad_mode_is_refused()
    {
        using (Doc2VecModel model = Train(distributedMemory: false)) Doc2VecFile.Save(model, _path);
        RewriteMode(null); // as files were written before PV-DM
        using (Doc2VecModel loaded = Doc2VecFile.Load(_path)) Assert.False(loaded.Options.DistributedMemory);
        RewriteMode(JsonValue.Create(2));
        Assert.Throws<InvalidDataException>(() => Doc2VecFile.Load(_path));
    }

    /// <summary>Rewrites the file with its options' "dm" set to <paramref name="dm"/>, or removed when null.</summary>
    private void RewriteMode(JsonNode? dm)
    {
        Dictionary<string, string> metadata;
        List<KeyValuePair<string, Tensor>> tensors;
        using (SafetensorsContents contents = SafetensorsFile.Load(_path))
        {
            metadata = new(contents.Metadata);
            tensors = [.. contents.Tensors.Select(t => new KeyValuePair<string, Tensor>(t.Key, t.Value.Clone()))];
        }
        JsonObject options = JsonNode.Parse(metadata["options"])!.AsObject();
        options.Remove("dm");
        if (dm != null) options["dm"] = dm;
        metadata["options"] = options.ToJsonString();
        SafetensorsFile.Save(_path, tensors, metadata);
        foreach (var tensor in tensors) tensor.Value.Dispose();
    }
}
