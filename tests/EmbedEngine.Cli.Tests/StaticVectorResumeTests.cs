using System.Text.Json;

namespace EmbedEngine.Cli.Tests;

/// <summary>
/// Checkpoints and resume of the static-vector trainers: a run killed with SIGKILL mid-way and resumed ends with the
/// uninterrupted run's model, byte for byte on one thread, and as good on the planted topics with two.
/// </summary>
public sealed class StaticVectorResumeTests
{
    /// <summary>Checkpoints every this many words: several per second, so the first comes early in the run.</summary>
    private const string EveryWords = "30000";

    /// <summary>GloVe's cost on the two-topic matrix once fitted: 1e-3, against 2e-3 to 4e-3 over the first few hundred epochs.</summary>
    private const double FittedCost = 1e-3;

    [Theory]
    [InlineData("word2vec")]
    [InlineData("fasttext")]
    [InlineData("glove")]
    public void A_killed_and_resumed_single_thread_run_ends_with_the_uninterrupted_model(string trainer)
    {
        using var folder = new TempFolder();
        string[] common = Arguments(trainer, folder, threads: 1);
        string whole = folder.File("whole.vec"), resumed = folder.File("resumed.vec");

        CliRun uninterrupted = CliRun.Of([.. common, "-o", whole]);
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.Error);
        KilledRun.KillAndResume([.. common, "-o", resumed], folder.File("run.ckpt"), EveryWords, resumed);

        Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(resumed));
    }

    [Theory]
    [InlineData("word2vec")]
    [InlineData("fasttext")]
    public void A_killed_and_resumed_two_thread_run_separates_the_topics_as_the_uninterrupted_one_does(string trainer)
    {
        using var folder = new TempFolder();
        string[] common = Arguments(trainer, folder, threads: 2);
        string whole = folder.File("whole.vec"), resumed = folder.File("resumed.vec");

        Assert.Equal(0, CliRun.Of([.. common, "-o", whole]).ExitCode);
        KilledRun.KillAndResume([.. common, "-o", resumed], folder.File("run.ckpt"), EveryWords, resumed);

        Assert.Equal(["a", "a", "a", "b", "b", "b"], [.. TopicsOfNeighbours(whole, "a0"), .. TopicsOfNeighbours(whole, "b0")]);
        Assert.Equal(["a", "a", "a", "b", "b", "b"], [.. TopicsOfNeighbours(resumed, "a0"), .. TopicsOfNeighbours(resumed, "b0")]);
    }

    [Fact]
    public void A_killed_and_resumed_two_thread_glove_run_trains_every_entry_and_fits_the_matrix_as_the_uninterrupted_one_does()
    {
        // Two Hogwild threads follow no fixed course, and GloVe's vectors carry no topics here (the matrix holds no
        // cross-topic pair to push apart), so the check is the fit: every entry of every epoch trained, and the matrix
        // fitted as the uninterrupted run fits it. The final cost allows no closer comparison: the interleaving alone
        // moves it between 1e-14 and 4e-5 on this small matrix.
        using var folder = new TempFolder();
        string[] common = Arguments("glove", folder, threads: 2);
        string wholeMetrics = folder.File("whole.jsonl"), resumedMetrics = folder.File("resumed.jsonl"), resumed = folder.File("resumed.vec");

        Assert.Equal(0, CliRun.Of([.. common, "-o", folder.File("whole.vec"), "--metrics", wholeMetrics]).ExitCode);
        KilledRun.KillAndResume([.. common, "-o", resumed, "--metrics", resumedMetrics], folder.File("run.ckpt"), EveryWords, resumed);

        JsonElement[] whole = Snapshots(wholeMetrics), afterResume = Snapshots(resumedMetrics);
        long entries = whole[^1].GetProperty("total_words").GetInt64();
        Assert.Equal(entries, whole[^1].GetProperty("words").GetInt64());
        Assert.Equal(entries, afterResume[^1].GetProperty("words").GetInt64());
        Assert.True(whole[^1].GetProperty("loss").GetDouble() < FittedCost, $"uninterrupted: {whole[^1]}");
        Assert.True(afterResume[^1].GetProperty("loss").GetDouble() < FittedCost, $"resumed: {afterResume[^1]}");
    }

    [Fact]
    public void Resuming_with_other_options_another_corpus_another_trainer_or_no_checkpoint_is_refused()
    {
        using var folder = new TempFolder();
        string corpus = TopicCorpusFile.Write(folder), checkpoint = folder.File("run.ckpt");
        string[] word2vec = ["train", "word2vec", "-train", corpus, "-output", folder.File("v.vec"), "-size", "8", "-min-count", "1", "-iter", "2", "-threads", "1"];
        Assert.Equal(0, CliRun.Of([.. word2vec, "--checkpoint", checkpoint, "--checkpoint-every", "5000"]).ExitCode);

        BadInputTests.AssertBadInput(CliRun.Of([.. word2vec, "-window", "3", "--resume", checkpoint]), "was written with other options (Word2VecOptions {");
        File.AppendAllText(corpus, "a1 a2\n");
        BadInputTests.AssertBadInput(CliRun.Of([.. word2vec, "--resume", checkpoint]), "was written with other options");
        BadInputTests.AssertBadInput(CliRun.Of("train", "fasttext", "-input", corpus, "-output", folder.File("ft"), "--resume", checkpoint),
            "is a checkpoint of word2vec, not of fastText");
        BadInputTests.AssertBadInput(CliRun.Of([.. word2vec, "--resume", folder.File("none.ckpt")]), "none.ckpt does not exist");
    }

    /// <summary>A run long enough to be killed (a few seconds) on the two-topic corpus (for GloVe, its co-occurrences).</summary>
    private static string[] Arguments(string trainer, TempFolder folder, int threads)
    {
        // GloVe trains on distinct pairs, so it is given more words to keep it busy as long.
        string corpus = TopicCorpusFile.Write(folder, wordsPerTopic: trainer == "glove" ? 20 : 8);
        switch (trainer)
        {
            case "word2vec":
                return ["train", "word2vec", "-train", corpus, "-cbow", "0", "-size", "24", "-window", "3", "-sample", "0", "-min-count", "1", "-iter", "150", "-threads", $"{threads}"];
            case "fasttext":
                return ["train", "fasttext", "-input", corpus, "-dim", "16", "-ws", "3", "-minCount", "1", "-epoch", "60", "-thread", $"{threads}"];
            default:
                string matrix = folder.File("cooccur.bin");
                Assert.Equal(0, CliRun.Of("cooccur", "-i", corpus, "-o", matrix, "--window", "5", "--min-count", "1").ExitCode);
                return ["train", "glove", "-i", matrix, "--size", "16", "--iter", "10000", "--x-max", "10", "--threads", $"{threads}"];
        }
    }

    /// <summary>The progress snapshots a <c>--metrics</c> file holds.</summary>
    private static JsonElement[] Snapshots(string metrics) =>
        [.. File.ReadAllLines(metrics).Where(line => line.Length > 0).Select(line => JsonDocument.Parse(line).RootElement)];

    /// <summary>The topic letter of each of <paramref name="word"/>'s three nearest neighbours.</summary>
    private static string[] TopicsOfNeighbours(string vectors, string word)
    {
        CliRun similar = CliRun.Of("similar", "-v", vectors, word, "-n", "3");
        Assert.True(similar.ExitCode == 0, similar.Error);
        return [.. similar.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(line => line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1][..1])];
    }
}
