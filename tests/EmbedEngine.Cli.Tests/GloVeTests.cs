using EmbedEngine.Vectors;

namespace EmbedEngine.Cli.Tests;

public sealed class GloVeTests
{
    [Fact]
    public void Cooccur_then_train_glove_writes_vectors_that_load()
    {
        using var folder = new TempFolder();
        string corpus = TopicCorpusFile.Write(folder);
        string matrix = folder.File("cooc.bin");
        string vectors = folder.File("glove.txt");
        string metrics = folder.File("metrics.jsonl");

        CliRun counted = CliRun.Of("cooccur", "-i", corpus, "-o", matrix, "--window", "5", "--min-count", "1");
        Assert.True(counted.ExitCode == 0, counted.Error);
        CliRun trained = CliRun.Of("train", "glove", "-i", matrix, "-o", vectors, "--size", "12", "--iter", "10",
            "--threads", "1", "--x-max", "10", "--model", "sum", "--metrics", metrics);

        Assert.True(trained.ExitCode == 0, trained.Error);
        Assert.Contains("wrote 16 vectors of dimension 12", trained.Output);
        Assert.NotEmpty(File.ReadAllLines(metrics));
        using KeyedVectors loaded = VectorFile.Load(vectors);
        Assert.Equal(16, loaded.Count);
        Assert.Equal(12, loaded.Dimension);
        Assert.True(loaded.Similarity("a1", "a2") > loaded.Similarity("a1", "b2"));
    }

    [Fact]
    public void A_vocabulary_that_does_not_fit_the_matrix_is_bad_input()
    {
        using var folder = new TempFolder();
        string corpus = TopicCorpusFile.Write(folder);
        string other = folder.Write("other.txt", "x y z x y x\n");
        string matrix = folder.File("cooc.bin");
        string otherMatrix = folder.File("other.bin");
        Assert.Equal(0, CliRun.Of("cooccur", "-i", corpus, "-o", matrix, "--min-count", "1").ExitCode);
        Assert.Equal(0, CliRun.Of("cooccur", "-i", other, "-o", otherMatrix, "--min-count", "1").ExitCode);

        CliRun run = CliRun.Of("train", "glove", "-i", matrix, "--vocab", otherMatrix + ".vocab", "-o", folder.File("v.txt"));

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("3 words", run.Error);
        Assert.Contains("16 rows", run.Error);
        Assert.False(File.Exists(folder.File("v.txt")));
    }

    [Fact]
    public void An_unknown_model_is_bad_input()
    {
        using var folder = new TempFolder();
        CliRun run = CliRun.Of("train", "glove", "-i", folder.File("m.bin"), "-o", folder.File("v.txt"), "--model", "both");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
    }
}
