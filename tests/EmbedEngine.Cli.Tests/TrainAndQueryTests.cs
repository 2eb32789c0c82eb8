using System.Text;
using System.Text.Json;

namespace EmbedEngine.Cli.Tests;

/// <summary>The happy path through the command line: train, save in each format, query, evaluate.</summary>
public sealed class TrainAndQueryTests
{
    private static string TopicCorpus(TempFolder folder)
    {
        var random = new Random(11);
        var text = new StringBuilder();
        for (int line = 0; line < 1500; line++)
        {
            char topic = random.Next(2) == 0 ? 'a' : 'b';
            for (int w = 0; w < 20; w++) text.Append(topic).Append(random.Next(8)).Append(' ');
            text.Append('\n');
        }
        return folder.Write("topics.txt", text.ToString());
    }

    [Theory]
    [InlineData("v.bin")]
    [InlineData("v.txt")]
    [InlineData("v.vec")]
    [InlineData("v.eev")]
    public void Trains_saves_and_answers_neighbour_queries(string fileName)
    {
        using var folder = new TempFolder();
        string corpus = TopicCorpus(folder);
        string model = folder.File(fileName);
        string metrics = folder.File("metrics.jsonl");
        CliRun train = CliRun.Of("train", "word2vec", "-train", corpus, "-output", model, "-cbow", "0", "-size", "12",
            "-window", "3", "-sample", "0", "-min-count", "1", "-iter", "2", "-threads", "1", "--metrics", metrics);
        Assert.True(train.ExitCode == 0, train.Error);
        Assert.Contains("wrote 16 vectors of dimension 12", train.Output);
        Assert.False(Directory.GetFiles(folder.Path).Any(f => f.Contains(".tmp", StringComparison.Ordinal)), "temp file left behind");

        string[] lines = File.ReadAllLines(metrics);
        Assert.NotEmpty(lines);
        using (JsonDocument last = JsonDocument.Parse(lines[^1]))
            Assert.Equal(last.RootElement.GetProperty("total_words").GetInt64(), last.RootElement.GetProperty("words").GetInt64());

        CliRun similar = CliRun.Of("similar", "-v", model, "a0", "-n", "3");
        Assert.True(similar.ExitCode == 0, similar.Error);
        string[] neighbours = similar.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..];
        Assert.Equal(3, neighbours.Length);
        Assert.All(neighbours, line => Assert.StartsWith("a", line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]));
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("0", false)]
    public void Word2vec_c_binary_switch_picks_the_format_whatever_the_extension(string binary, bool expectBinary)
    {
        using var folder = new TempFolder();
        string corpus = TopicCorpus(folder);
        string model = folder.File("vectors.out");
        CliRun train = CliRun.Of("train", "word2vec", "-train", corpus, "-output", model, "-size", "8", "-min-count", "1", "-iter", "1",
            "-threads", "1", "-binary", binary);
        Assert.True(train.ExitCode == 0, train.Error);
        byte[] bytes = File.ReadAllBytes(model);
        string header = Encoding.ASCII.GetString(bytes, 0, Array.IndexOf(bytes, (byte)'\n'));
        Assert.Equal("16 8", header);
        // Text lines are all printable; binary rows hold raw floats after each word.
        bool printable = bytes.All(b => b == '\n' || (b >= 32 && b < 127));
        Assert.Equal(expectBinary, !printable);
    }

    [Theory]
    [InlineData("--saturated", "skip")]
    [InlineData("--saturated", "clamp")]
    [InlineData("--exact-sigmoid")]
    [InlineData("--decay", "words", "--max-sentence-length", "1000", "--init-range", "0.5", "--interleave", "1")]
    [InlineData("--word2vec-c")]
    public void Each_sigmoid_mode_and_word2vec_c_s_or_gensim_s_schedule_start_and_order_train(params string[] mode)
    {
        using var folder = new TempFolder();
        string corpus = TopicCorpus(folder);
        CliRun train = CliRun.Of(["train", "word2vec", "-train", corpus, "-output", folder.File("v.bin"), "-size", "8", "-min-count", "1",
            "-iter", "1", "-threads", "1", .. mode]);
        Assert.True(train.ExitCode == 0, train.Error);
        Assert.Contains("wrote 16 vectors of dimension 8", train.Output);
    }

    /// <summary>
    /// --word2vec-c is word2vec.c's five training settings at once (one thread, so the vectors are compared bit for
    /// bit), and any of them given beside it wins.
    /// </summary>
    [Theory]
    [InlineData(new string[0], new[] { "--init-range", "0.5" })]
    [InlineData(new[] { "--init-range", "1" }, new[] { "--init-range", "1" })]
    public void Word2vec_c_switch_is_its_five_training_settings_and_a_given_one_wins(string[] beside, string[] range)
    {
        using var folder = new TempFolder();
        string corpus = TopicCorpus(folder);
        string[] common = ["train", "word2vec", "-train", corpus, "-size", "8", "-min-count", "1", "-iter", "1", "-threads", "1"];
        CliRun switched = CliRun.Of([.. common, "-output", folder.File("switched.txt"), "--word2vec-c", .. beside]);
        CliRun spelled = CliRun.Of([.. common, "-output", folder.File("spelled.txt"), "--saturated", "clamp", "--interleave", "1",
            "--decay", "words", "--max-sentence-length", "1000", .. range]);
        CliRun gensim = CliRun.Of([.. common, "-output", folder.File("gensim.txt"), .. beside]);
        Assert.True(switched.ExitCode == 0, switched.Error);
        Assert.True(spelled.ExitCode == 0, spelled.Error);
        Assert.True(gensim.ExitCode == 0, gensim.Error);
        Assert.Equal(File.ReadAllText(folder.File("spelled.txt")), File.ReadAllText(folder.File("switched.txt")));
        Assert.NotEqual(File.ReadAllText(folder.File("gensim.txt")), File.ReadAllText(folder.File("switched.txt")));
    }

    [Fact]
    public void Exact_sigmoid_with_saturated_or_an_unknown_saturated_value_is_refused()
    {
        using var folder = new TempFolder();
        string corpus = TopicCorpus(folder);
        CliRun both = CliRun.Of("train", "word2vec", "-train", corpus, "-output", folder.File("v.bin"), "--exact-sigmoid", "--saturated", "skip");
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("--exact-sigmoid or --saturated, not both", both.Error, StringComparison.Ordinal);
        CliRun odd = CliRun.Of("train", "word2vec", "-train", corpus, "-output", folder.File("v.bin"), "--saturated", "drop");
        Assert.NotEqual(0, odd.ExitCode);
        Assert.Contains("drop", odd.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Binary_switch_and_format_together_or_out_of_range_are_refused()
    {
        using var folder = new TempFolder();
        string corpus = TopicCorpus(folder);
        CliRun both = CliRun.Of("train", "word2vec", "-train", corpus, "-output", folder.File("v.bin"), "-binary", "1", "--format", "vec");
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("not both", both.Error, StringComparison.Ordinal);
        CliRun odd = CliRun.Of("train", "word2vec", "-train", corpus, "-output", folder.File("v.bin"), "-binary", "2");
        Assert.Equal(2, odd.ExitCode);
        Assert.Contains("0 (text) or 1 (binary)", odd.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluates_analogies_and_similarity()
    {
        using var folder = new TempFolder();
        // Vectors where b - a + c lands exactly on d.
        string model = folder.Write("v.txt", "5 3\na 1 0 0\nb 1 1 0\nc 0 0 1\nd 0 1 1\ne -1 0 0\n");
        string questions = folder.Write("q.txt", ": family\na b c d\na b c e\n: gram1\na b x d\n");
        CliRun analogy = CliRun.Of("eval", "analogy", "-v", model, "-q", questions, "--restrict", "5");
        Assert.True(analogy.ExitCode == 0, analogy.Error);
        Assert.Contains("(1/2", analogy.Output);
        Assert.Contains("1 questions skipped", analogy.Output);

        string pairs = folder.Write("sim.txt", "a\tb\t1\na\te\t0\nb\td\t0.5\n");
        CliRun similarity = CliRun.Of("eval", "similarity", "-v", model, pairs);
        Assert.True(similarity.ExitCode == 0, similarity.Error);
        Assert.Contains("3/3 pairs", similarity.Output);
        Assert.Contains("Spearman 1.0000", similarity.Output);
    }

    [Fact]
    public void Info_names_the_kernel_variant_and_the_gpus()
    {
        CliRun info = CliRun.Of("info");
        Assert.Equal(0, info.ExitCode);
        Assert.Matches("kernels: (scalar|avx2|avx512)", info.Output);
        // No GPU is a normal answer, not an error.
        Assert.Matches("gpus: (none found by ILGPU|cuda:0 )", info.Output);
    }
}
