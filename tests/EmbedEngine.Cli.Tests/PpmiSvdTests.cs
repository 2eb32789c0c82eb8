using System.Text;
using EmbedEngine.Vectors;

namespace EmbedEngine.Cli.Tests;

public sealed class PpmiSvdTests
{
    /// <summary>Two topics of eight words each (a0..a7, b0..b7); every line draws from one.</summary>
    private static string CountTopicCorpus(TempFolder folder)
    {
        var random = new Random(4);
        var text = new StringBuilder();
        for (int line = 0; line < 400; line++)
        {
            char topic = random.Next(2) == 0 ? 'a' : 'b';
            for (int w = 0; w < 15; w++) text.Append(topic).Append(random.Next(8)).Append(' ');
            text.Append('\n');
        }
        string corpus = folder.Write("corpus.txt", text.ToString());
        string matrix = folder.File("cooc.bin");
        CliRun counted = CliRun.Of("cooccur", "-i", corpus, "-o", matrix, "--window", "5", "--min-count", "1");
        Assert.True(counted.ExitCode == 0, counted.Error);
        return matrix;
    }

    [Fact]
    public void Cooccur_then_train_ppmi_svd_writes_vectors_that_load()
    {
        using var folder = new TempFolder();
        string matrix = CountTopicCorpus(folder);
        string vectors = folder.File("ppmi.vec");
        string metrics = folder.File("metrics.jsonl");

        CliRun trained = CliRun.Of("train", "ppmi-svd", "-i", matrix, "-o", vectors, "--size", "5", "--cds", "0.75",
            "--shift", "1", "--eig", "0.5", "--oversample", "4", "--power-iterations", "3", "--seed", "9", "--threads", "2",
            "--normalize", "--metrics", metrics);

        Assert.True(trained.ExitCode == 0, trained.Error);
        Assert.Contains("wrote 16 vectors of dimension 5", trained.Output);
        Assert.Contains("ppmi-svd dim 5", trained.Error);
        // A·Ω, three power iterations of two products, Aᵀ·Q: eight snapshots, and the final one.
        Assert.Equal(9, File.ReadAllLines(metrics).Length);
        using KeyedVectors loaded = VectorFile.Load(vectors);
        Assert.Equal(16, loaded.Count);
        Assert.Equal(5, loaded.Dimension);
        Assert.Equal(1f, Math.Sqrt(loaded.Vector("a1").ToArray().Sum(x => x * x)), 1e-3f);
        Assert.True(loaded.Similarity("a1", "a2") > loaded.Similarity("a1", "b2") + 0.3);
    }

    [Fact]
    public void A_vocabulary_that_does_not_fit_the_matrix_is_bad_input()
    {
        using var folder = new TempFolder();
        string matrix = CountTopicCorpus(folder);
        string other = folder.Write("other.txt", "x y z x y x\n");
        string otherMatrix = folder.File("other.bin");
        Assert.Equal(0, CliRun.Of("cooccur", "-i", other, "-o", otherMatrix, "--min-count", "1").ExitCode);

        CliRun run = CliRun.Of("train", "ppmi-svd", "-i", matrix, "--vocab", otherMatrix + ".vocab", "-o", folder.File("v.txt"), "--size", "2");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("has 3 words but the matrix", run.Error);
        Assert.Contains("16 rows", run.Error);
        Assert.False(File.Exists(folder.File("v.txt")));
    }

    [Theory]
    [InlineData("--size", "16", "the rank (dimension) 16 must be below the matrix's size 16 × 16")]
    [InlineData("--size", "0", "the rank (dimension) must be in 1..10000, not 0")]
    [InlineData("--cds", "0", "context-distribution smoothing (cds) must be in (0, 1], not 0")]
    [InlineData("--shift", "0.5", "the PMI shift must be a finite number of at least 1")]
    [InlineData("--eig", "2", "the eigenvalue weighting (eig) must be in [0, 1], not 2")]
    [InlineData("--power-iterations", "-1", "power iterations must be in 0..20, not -1")]
    public void Bad_options_are_bad_input_with_a_message(string option, string value, string message)
    {
        using var folder = new TempFolder();
        string matrix = CountTopicCorpus(folder);

        CliRun run = CliRun.Of("train", "ppmi-svd", "-i", matrix, "-o", folder.File("v.txt"), option, value);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(message, run.Error);
        Assert.False(File.Exists(folder.File("v.txt")));
    }
}
