using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using EmbedEngine.Vectors;

namespace EmbedEngine.Cli.Tests;

/// <summary>
/// <c>mpirun -np 2 embed train word2vec|glove --distributed</c>: two ranks, each on its part of the data, keep their rows in
/// step and learn what one process learns; ranks with different options are refused, and a killed rank ends the job.
/// </summary>
public sealed partial class StaticVectorDistributedTests
{
    [Fact]
    public void Two_ranks_of_word2vec_learn_the_topics_one_process_learns()
    {
        using var folder = new TempFolder();
        string corpus = TopicCorpusFile.Write(folder);
        string[] common = ["train", "word2vec", "-train", corpus, "-cbow", "0", "-size", "16", "-window", "3", "-negative", "3",
            "-min-count", "1", "-sample", "0", "-iter", "60", "-threads", "1"];
        AssertTrainsAsOneProcess([.. common, "-output", folder.File("one.txt")], [.. common, "-output", folder.File("two.txt")]);
        AssertTopicsSeparate(folder.File("one.txt"), folder.File("two.txt"));
    }

    /// <summary>
    /// Runs a corpus trainer as one process (<paramref name="single"/>) and as 2 ranks (<paramref name="ranks"/> with
    /// <c>--distributed</c>, a round every 20,000 words of a rank) and checks what the job reports.
    /// </summary>
    private static void AssertTrainsAsOneProcess(string[] single, string[] ranks)
    {
        CliRun one = CliRun.Of(single);
        Assert.True(one.ExitCode == 0, one.Error);

        (int exit, string output, string error) = MpirunJob.Run(MpirunJob.Rank([.. ranks, "--distributed", "--sync-words", "20000"]));

        Assert.True(exit == 0, error + output);
        // Rank 0 alone reports, and counts the words of both ranks: as many as one process trained.
        Assert.Single(WroteLine().Matches(output));
        Assert.Equal(WordsTrained().Match(one.Output).Value, WordsTrained().Match(output).Value);
        // Words are counted in steps of 10,000 and a round runs beside training: not every step brings one.
        Assert.True(int.Parse(Rounds().Match(output).Groups[1].Value) >= 5, output);
    }

    [Fact]
    public void Two_ranks_of_fasttext_learn_the_topics_one_process_learns()
    {
        using var folder = new TempFolder();
        string corpus = TopicCorpusFile.Write(folder);
        string[] common = ["train", "fasttext", "skipgram", "-input", corpus, "-dim", "16", "-ws", "3", "-neg", "3", "-minCount", "1",
            "-minn", "2", "-maxn", "3", "-bucket", "1000", "-t", "0", "-epoch", "60", "-thread", "1"];
        AssertTrainsAsOneProcess([.. common, "-output", folder.File("one")], [.. common, "-output", folder.File("two")]);
        AssertTopicsSeparate(folder.File("one.vec"), folder.File("two.vec"));
        Assert.True(File.Exists(folder.File("two.bin")));
    }

    [Fact]
    public void Two_ranks_of_glove_fit_the_counts_as_one_process_does()
    {
        using var folder = new TempFolder();
        string corpus = TopicCorpusFile.Write(folder, wordsPerTopic: 40);
        string matrix = folder.File("cooc.bin");
        Assert.Equal(0, CliRun.Of("cooccur", "-i", corpus, "-o", matrix, "--window", "5", "--min-count", "1").ExitCode);
        string[] common = ["train", "glove", "-i", matrix, "--size", "12", "--iter", "200", "--x-max", "10", "--threads", "1"];
        CliRun one = CliRun.Of([.. common, "-o", folder.File("one.txt")]);
        Assert.True(one.ExitCode == 0, one.Error);

        (int exit, string output, string error) = MpirunJob.Run(MpirunJob.Rank([.. common, "-o", folder.File("two.txt"), "--distributed", "--sync-entries", "10000"]));

        Assert.True(exit == 0, error + output);
        Assert.Single(WroteLine().Matches(output));
        Assert.True(int.Parse(Rounds().Match(output).Groups[1].Value) >= 5, output);
        // Words of different topics never co-occur, so GloVe leaves their angle free; how well the weights fit the
        // counts is what both runs must share. Both end near a cost of 0.02; where the
        // rounds fall among the entries depends on the machine's load, which moved the ranks' cost from 0.017 to
        // 0.027 against one process's 0.017 (CI, busy), so the bound leaves room for that and no more.
        double single = double.Parse(FinalCost().Match(one.Output).Groups[1].Value), ranks = double.Parse(FinalCost().Match(output).Groups[1].Value);
        Assert.True(ranks < 1.5 * single + 0.01, $"two ranks: final cost {ranks} against one process's {single}");
        using KeyedVectors two = VectorFile.Load(folder.File("two.txt"));
        Assert.Equal(80, two.Count);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Co_occurrences_counted_by_ranks_are_the_file_one_process_writes(int ranks)
    {
        using var folder = new TempFolder();
        string corpus = TopicCorpusFile.Write(folder, wordsPerTopic: 30);
        string[] common = ["cooccur", "-i", corpus, "--window", "4", "--min-count", "1", "--threads", "1"];
        CliRun one = CliRun.Of([.. common, "-o", folder.File("one.bin")]);
        Assert.True(one.ExitCode == 0, one.Error);

        (int exit, string output, string error) = MpirunJob.Run(MpirunJob.Rank([.. common, "-o", folder.File("ranks.bin"), "--distributed"], ranks));

        Assert.True(exit == 0, error + output);
        Assert.Contains($"counted by {ranks} ranks", output, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(folder.File("one.bin")), File.ReadAllBytes(folder.File("ranks.bin")));
        Assert.Equal(File.ReadAllBytes(folder.File("one.bin.vocab")), File.ReadAllBytes(folder.File("ranks.bin.vocab")));
    }

    [Fact]
    public void Ranks_started_with_different_options_are_refused_at_once()
    {
        using var folder = new TempFolder();
        string corpus = TopicCorpusFile.Write(folder);
        string[] common = ["train", "word2vec", "-train", corpus, "-min-count", "1", "-output", folder.File("v.txt"), "--distributed"];
        var clock = Stopwatch.StartNew();
        (int exit, _, string error) = MpirunJob.Run([.. MpirunJob.Rank([.. common, "-size", "16"], ranks: 1), ":", .. MpirunJob.Rank([.. common, "-size", "20"], ranks: 1)]);
        Assert.NotEqual(0, exit);
        Assert.Contains("were started with different options", error, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.File("v.txt")));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed.TotalSeconds:F0} s");
    }

    [Fact]
    public async Task A_rank_killed_mid_run_ends_the_job_within_seconds_and_nothing_is_written()
    {
        using var folder = new TempFolder();
        string corpus = folder.Write("corpus.txt", LongCorpus());
        string vectors = folder.File("v.bin");
        using Process job = MpirunJob.Start(MpirunJob.Rank(["train", "word2vec", "-train", corpus, "-min-count", "1", "-size", "50",
            "-iter", "1000", "-threads", "1", "-output", vectors, "--distributed"]));
        Task<string> output = job.StandardOutput.ReadToEndAsync(), error = job.StandardError.ReadToEndAsync();
        int rank1 = WaitForRank(job.Id, rank: 1, TimeSpan.FromSeconds(60));
        Thread.Sleep(TimeSpan.FromSeconds(3)); // well into training
        var clock = Stopwatch.StartNew();
        Process.GetProcessById(rank1).Kill();
        bool ended = job.WaitForExit(TimeSpan.FromSeconds(60));
        if (!ended) job.Kill(entireProcessTree: true);
        Assert.True(ended, "the job still ran a minute after a rank was killed: a hang");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the job took {clock.Elapsed.TotalSeconds:F1} s to end");
        Assert.NotEqual(0, job.ExitCode);
        Assert.Contains("rank 1", await error + await output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder.Path, "v.bin*"));
    }

    /// <summary>Both models put a word nearer its own topic than the other, and the two ranks' about as clearly as one process's.</summary>
    private static void AssertTopicsSeparate(string onePath, string twoPath)
    {
        using KeyedVectors one = VectorFile.Load(onePath), two = VectorFile.Load(twoPath);
        double single = TopicMargin(one), ranks = TopicMargin(two);
        Assert.True(single > 0.2, $"one process: margin {single:F3}");
        Assert.True(ranks > 0.7 * single, $"two ranks: margin {ranks:F3} against one process's {single:F3}");
    }

    /// <summary>Mean cosine of words of one topic less that of words of different topics.</summary>
    private static double TopicMargin(KeyedVectors vectors)
    {
        double within = 0, across = 0;
        int withinPairs = 0, acrossPairs = 0;
        for (int i = 0; i < 16; i++)
            for (int j = i + 1; j < 16; j++)
            {
                string a = Word(i), b = Word(j);
                if (a[0] == b[0]) { within += vectors.Similarity(a, b); withinPairs++; }
                else { across += vectors.Similarity(a, b); acrossPairs++; }
            }
        return within / withinPairs - across / acrossPairs;

        static string Word(int i) => $"{(i < 8 ? 'a' : 'b')}{i % 8}";
    }

    private static string LongCorpus()
    {
        var random = new Random(5);
        var text = new StringBuilder();
        for (int line = 0; line < 5000; line++)
        {
            for (int w = 0; w < 20; w++) text.Append('w').Append(random.Next(500)).Append(' ');
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The process id of rank <paramref name="rank"/> among mpirun's children (its environment names its rank).</summary>
    private static int WaitForRank(int mpirun, int rank, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            foreach (string folder in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(folder), out int pid)) continue;
                try
                {
                    string stat = File.ReadAllText(Path.Combine(folder, "stat"));
                    // The parent's id is the second field after the command name's closing parenthesis.
                    string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    if (int.Parse(fields[1]) != mpirun) continue;
                    if (File.ReadAllText(Path.Combine(folder, "environ")).Split('\0').Contains($"OMPI_COMM_WORLD_RANK={rank}")) return pid;
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
            Thread.Sleep(100);
        }
        throw new TimeoutException($"rank {rank} of mpirun {mpirun} did not start within {limit.TotalSeconds} s");
    }

    [GeneratedRegex(@"^wrote \d+ vectors", RegexOptions.Multiline)]
    private static partial Regex WroteLine();

    [GeneratedRegex(@"\d+ words trained")]
    private static partial Regex WordsTrained();

    [GeneratedRegex(@"final cost ([0-9.]+)")]
    private static partial Regex FinalCost();

    [GeneratedRegex(@"(\d+) synchronisation rounds")]
    private static partial Regex Rounds();
}
