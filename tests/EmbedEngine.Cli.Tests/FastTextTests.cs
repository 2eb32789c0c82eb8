using EmbedEngine.Vectors;

namespace EmbedEngine.Cli.Tests;

public sealed class FastTextTests
{
    [Theory]
    [InlineData("skipgram")]
    [InlineData("cbow")]
    public void Fasttext_spellings_train_and_write_a_vec_file_at_the_output_prefix(string model)
    {
        using var folder = new TempFolder();
        string corpus = TopicCorpusFile.Write(folder);
        string prefix = folder.File("ft");

        CliRun run = CliRun.Of("train", "fasttext", model, "-input", corpus, "-output", prefix, "-dim", "12", "-ws", "3",
            "-epoch", "5", "-minCount", "1", "-neg", "5", "-lr", "0.05", "-minn", "2", "-maxn", "4", "-bucket", "1000",
            "-thread", "1", "-t", "0", "-seed", "7");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("wrote 16 vectors of dimension 12", run.Output);
        using KeyedVectors loaded = VectorFile.Load(prefix + ".vec");
        Assert.Equal(16, loaded.Count);
        Assert.Equal(12, loaded.Dimension);
        Assert.True(loaded.Similarity("a1", "a2") > loaded.Similarity("a1", "b2"));
    }

    [Fact]
    public void Engine_spellings_and_hierarchical_softmax_write_to_a_vec_path_as_given()
    {
        using var folder = new TempFolder();
        string corpus = TopicCorpusFile.Write(folder);
        string vectors = folder.File("out.vec");

        CliRun run = CliRun.Of("train", "fasttext", "--input", corpus, "--output", vectors, "--dim", "8", "--epoch", "1",
            "--min-count", "1", "--bucket", "500", "--threads", "1", "--sample", "0", "--loss", "hs");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("16 8", File.ReadLines(vectors).First());
    }

    [Theory]
    [InlineData("-dim", "0", "dim")]
    [InlineData("-minn", "7", "minn")]
    [InlineData("-bucket", "-1", "bucket")]
    [InlineData("-neg", "0", "neg")]
    public void Options_out_of_range_exit_2_naming_the_option(string option, string value, string named)
    {
        using var folder = new TempFolder();
        string corpus = TopicCorpusFile.Write(folder);
        CliRun run = CliRun.Of("train", "fasttext", "-input", corpus, "-output", folder.File("ft"), option, value);
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(named, run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.File("ft.vec")));
    }

    [Fact]
    public void An_unknown_model_exits_2()
    {
        using var folder = new TempFolder();
        string corpus = TopicCorpusFile.Write(folder);
        CliRun run = CliRun.Of("train", "fasttext", "supervised", "-input", corpus, "-output", folder.File("ft"));
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("supervised", run.Error, StringComparison.Ordinal);
    }
}
