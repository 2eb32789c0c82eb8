using EmbedEngine.Kernels.Gpu;
using System.Text;
using EmbedEngine.Kernels;
using EmbedEngine.Models.FastText;
using EmbedEngine.Models.Word2Vec;
using EmbedEngine.Text;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.Tests;

public sealed class FastTextTrainerTests
{
    private static FastTextOptions Small(Word2VecArchitecture architecture) => new()
    {
        Architecture = architecture,
        Dimension = 16,
        Window = 3,
        Sample = 0,
        MinCount = 1,
        Epochs = 3,
        Buckets = 5_000,
        Threads = 1,
        Seed = 42,
    };

    [Theory]
    [InlineData(Word2VecArchitecture.SkipGram, FastTextLoss.NegativeSampling)]
    [InlineData(Word2VecArchitecture.Cbow, FastTextLoss.NegativeSampling)]
    [InlineData(Word2VecArchitecture.SkipGram, FastTextLoss.HierarchicalSoftmax)]
    [InlineData(Word2VecArchitecture.Cbow, FastTextLoss.HierarchicalSoftmax)]
    public void Every_architecture_and_loss_separates_the_two_topics(Word2VecArchitecture architecture, FastTextLoss loss)
    {
        using var corpus = new TopicCorpus();
        using FastTextResult result = FastTextTrainer.Train(corpus.Path, Small(architecture) with { Loss = loss });
        using KeyedVectors vectors = result.Model.ToKeyedVectors();

        double within = VectorMeasures.MeanSimilarity(vectors, TopicCorpus.Topic('a'), TopicCorpus.Topic('a'))
                      + VectorMeasures.MeanSimilarity(vectors, TopicCorpus.Topic('b'), TopicCorpus.Topic('b'));
        double across = 2 * VectorMeasures.MeanSimilarity(vectors, TopicCorpus.Topic('a'), TopicCorpus.Topic('b'));
        Assert.True(within / 2 > across / 2 + 0.3, $"within-topic {within / 2:F3}, across-topic {across / 2:F3}");
        Assert.Equal(20, vectors.Count);
        Assert.Equal(20 + 5_000, FastTextModel.InputRows(result.Model.Args, result.Model.Dictionary));
        Assert.Equal(20, result.Model.Output.Rows);
        Assert.Equal(3 * result.Model.Dictionary.TokenCount, result.Final.WordsProcessed);
    }

    [Fact]
    public void Training_stores_only_the_buckets_the_vocabulary_hits_and_the_others_read_as_zeros()
    {
        using var corpus = new TopicCorpus();
        using FastTextResult result = FastTextTrainer.Train(corpus.Path, Small(Word2VecArchitecture.SkipGram));
        FastTextModel model = result.Model;
        int words = model.Dictionary.WordCount;
        var hit = new HashSet<int>();
        for (int id = 0; id < words; id++)
            foreach (int row in model.Subwords(model.Dictionary.Entries[id]))
                if (row >= words) hit.Add(row);

        Assert.Equal(words + hit.Count, model.StoredInput.Rows);
        Assert.InRange(hit.Count, 20, 2_500);
        for (int row = words; row < words + model.Args.Buckets; row++)
            Assert.Equal(hit.Contains(row), model.InputRow(row).ContainsAnyExcept(0f));
    }

    /// <summary>
    /// fastText reads an inner node's sigmoid as the probability of branch 1 (word2vec.c as that of branch 0): a
    /// hierarchical-softmax model must give its training contexts high probability when its nodes are read
    /// fastText's way, and low when they are read the other way.
    /// </summary>
    [Fact]
    public void Hierarchical_softmax_nodes_read_the_way_fastText_reads_them()
    {
        using var corpus = new TopicCorpus();
        using FastTextResult result = FastTextTrainer.Train(corpus.Path, Small(Word2VecArchitecture.SkipGram) with { Loss = FastTextLoss.HierarchicalSoftmax });
        var tree = new HuffmanTree(Vocabulary.Build(corpus.Path, 1));
        double fastTextWay = 0, otherWay = 0;
        foreach (string centre in TopicCorpus.Topic('a'))
        foreach (string context in TopicCorpus.Topic('a'))
        {
            float[] hidden = result.Model.WordVector(centre);
            int id = result.Model.Dictionary.Entries.ToList().IndexOf(context);
            ReadOnlySpan<int> points = tree.Points(id);
            ReadOnlySpan<byte> codes = tree.Codes(id);
            for (int d = 0; d < points.Length; d++)
            {
                double branchOne = 1 / (1 + Math.Exp(-DotKernel.Dot(hidden, result.Model.Output.Row(points[d]))));
                fastTextWay += Math.Log(codes[d] == 1 ? branchOne : 1 - branchOne);
                otherWay += Math.Log(codes[d] == 1 ? 1 - branchOne : branchOne);
            }
        }
        Assert.True(fastTextWay > otherWay + 100, $"log-likelihood read fastText's way {fastTextWay:F1}, the other way {otherWay:F1}");
    }

    [Fact]
    public void One_thread_with_one_seed_is_deterministic_and_the_seed_matters()
    {
        using var corpus = new TopicCorpus(lines: 300);
        float[] first = Train(corpus.Path, Small(Word2VecArchitecture.SkipGram));
        float[] second = Train(corpus.Path, Small(Word2VecArchitecture.SkipGram));
        float[] reseeded = Train(corpus.Path, Small(Word2VecArchitecture.SkipGram) with { Seed = 43 });
        Assert.Equal(first, second);
        Assert.NotEqual(first, reseeded);

        static float[] Train(string path, FastTextOptions options)
        {
            using FastTextResult result = FastTextTrainer.Train(path, options);
            return VectorMeasures.Flatten(result.Model.ToKeyedVectors());
        }
    }

    [Fact]
    public void A_word_vector_is_the_mean_of_its_own_row_and_its_ngram_rows_and_an_unseen_word_has_ngrams_only()
    {
        using var corpus = new TopicCorpus(lines: 100);
        using FastTextResult result = FastTextTrainer.Train(corpus.Path, Small(Word2VecArchitecture.SkipGram) with { Epochs = 1 });
        int[] seen = [result.Model.Dictionary.IdOf("a3"), .. Buckets(result, "a3")];
        Assert.Equal(4, seen.Length); // the word's row, "<a3", "<a3>", "a3>"
        int[] unseen = Buckets(result, "a3x");
        Assert.Equal(6, unseen.Length); // "<a3", "<a3x", "<a3x>", "a3x", "a3x>", "3x>": no row of its own

        AssertMean(result, seen, result.Model.WordVector("a3"));
        AssertMean(result, unseen, result.Model.WordVector("a3x"));
        Assert.Equal(new float[16], result.Model.WordVector("")); // "<>" is shorter than minn: no row at all, so zeros, as in fastText
    }

    [Fact]
    public void An_unseen_word_made_of_seen_ngrams_lands_near_its_relatives()
    {
        string[] reading = ["reading", "reader", "readers", "reread", "readable", "rereading"];
        string[] swimming = ["swimming", "swimmer", "swimmers", "swims", "swimsuit", "outswim"];
        string path = Path.Combine(Path.GetTempPath(), $"embed-families-{Guid.NewGuid():N}.txt");
        var random = new Random(5);
        var text = new StringBuilder();
        for (int line = 0; line < 1500; line++)
        {
            string[] family = random.Next(2) == 0 ? reading : swimming;
            for (int w = 0; w < 12; w++) text.Append(family[random.Next(family.Length)]).Append(' ');
            text.Append('\n');
        }
        File.WriteAllText(path, text.ToString());
        try
        {
            using FastTextResult result = FastTextTrainer.Train(path, Small(Word2VecArchitecture.SkipGram) with { Epochs = 5 });
            Assert.Equal(-1, result.Model.Dictionary.IdOf("readings"));

            float[] unseen = result.Model.WordVector("readings");
            double near = reading.Average(w => Cosine(unseen, result.Model.WordVector(w)));
            double far = swimming.Average(w => Cosine(unseen, result.Model.WordVector(w)));
            Assert.True(near > 0.5 && near > far + 0.4, $"to its family {near:F3}, to the other {far:F3}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("dim")]
    [InlineData("ws")]
    [InlineData("neg")]
    [InlineData("minn")]
    [InlineData("bucket")]
    public void Options_out_of_range_are_rejected_before_reading_the_corpus(string broken)
    {
        FastTextOptions options = broken switch
        {
            "dim" => new FastTextOptions { Dimension = 0 },
            "ws" => new FastTextOptions { Window = 0 },
            "neg" => new FastTextOptions { Negative = 0 },
            "minn" => new FastTextOptions { MinN = 7 },
            _ => new FastTextOptions { Buckets = 0 },
        };
        var error = Assert.Throws<ArgumentException>(() => FastTextTrainer.Train("/nonexistent/corpus.txt", options));
        Assert.Contains(broken, error.Message);
    }

    private static int[] Buckets(FastTextResult result, string word)
    {
        var buckets = new List<int>();
        FastTextArgs args = result.Model.Args;
        new CharacterNgrams(args.MinN, args.MaxN, args.Buckets).AppendBuckets(Encoding.UTF8.GetBytes(word), buckets);
        return [.. buckets.Select(b => result.Model.Dictionary.WordCount + b)];
    }

    private static void AssertMean(FastTextResult result, int[] rows, float[] vector)
    {
        for (int c = 0; c < vector.Length; c++)
        {
            double sum = 0;
            foreach (int row in rows) sum += result.Model.InputRow(row)[c];
            Assert.Equal(sum / rows.Length, vector[c], 1e-6);
        }
    }

    private static double Cosine(float[] x, float[] y)
    {
        double dot = 0, xx = 0, yy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            dot += x[i] * y[i];
            xx += x[i] * x[i];
            yy += y[i] * y[i];
        }
        return dot / Math.Sqrt(xx * yy);
    }

    /// <summary>
    /// The GPU path on ILGPU's CPU accelerator: the topics must come out, and the saved .bin must load on the CPU
    /// and give the same vectors, n-gram rows included (an unseen word's vector).
    /// </summary>
    [Theory]
    [InlineData(Word2VecArchitecture.SkipGram)]
    [InlineData(Word2VecArchitecture.Cbow)]
    public void Emulated_gpu_training_separates_the_topics_and_the_saved_model_loads_on_the_cpu(Word2VecArchitecture architecture)
    {
        using var corpus = new TopicCorpus(lines: 300);
        using var device = GpuDevice.Open("emulated");
        FastTextOptions options = Small(architecture) with { Epochs = 5 };
        Vocabulary vocabulary = Vocabulary.Build(corpus.Path, options.MinCount);
        using FastTextResult result = FastTextTrainer.Train(corpus.Path, vocabulary, options, device);
        using KeyedVectors vectors = result.Model.ToKeyedVectors();

        VectorMeasures.AssertTopicsSeparate(vectors);
        Assert.Equal(options.Epochs * vocabulary.TotalWords, result.Final.WordsProcessed);
        string path = Path.Combine(Path.GetTempPath(), $"embed-gpu-fasttext-{Guid.NewGuid():N}.bin");
        try
        {
            FastTextBinaryFile.Save(result.Model, path);
            using FastTextModel loaded = FastTextBinaryFile.Load(path);
            Assert.Equal(VectorMeasures.Flatten(vectors), VectorMeasures.Flatten(loaded.ToKeyedVectors()));
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
