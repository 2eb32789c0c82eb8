using EmbedEngine.Kernels.Gpu;

namespace EmbedEngine.Cli.Tests;

/// <summary><c>--device</c> on the static-vector trainers: a GPU that is not there is bad input; the emulated GPU trains.</summary>
public sealed class DeviceTests
{
    public static TheoryData<string> Trainers() => ["word2vec", "fasttext", "glove"];

    [Theory]
    [MemberData(nameof(Trainers))]
    public void A_missing_gpu_is_bad_input_that_names_what_was_found(string trainer)
    {
        if (GpuDevice.CudaDevices().Count > 0) return; // a machine with a GPU has one to find
        using var folder = new TempFolder();
        string corpus = TopicCorpusFile.Write(folder);
        string input = corpus;
        if (trainer == "glove")
        {
            input = folder.File("cooc.bin");
            Assert.Equal(0, CliRun.Of("cooccur", "-i", corpus, "-o", input, "--min-count", "1").ExitCode);
        }
        CliRun run = CliRun.Of("train", trainer, "-i", input, "-o", folder.File("v.vec"), "--device", "cuda");

        BadInputTests.AssertBadInput(run, "found none");
        Assert.Contains("'cuda'", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.File("v.vec")));
    }

    [Fact]
    public void An_unknown_device_is_bad_input()
    {
        using var folder = new TempFolder();
        string corpus = TopicCorpusFile.Write(folder);
        CliRun run = CliRun.Of("train", "word2vec", "-i", corpus, "-o", folder.File("v.bin"), "--device", "tpu");
        BadInputTests.AssertBadInput(run, "expected cpu, cuda, cuda:N or emulated");
    }

    [Fact]
    public void Word2vec_trains_on_the_emulated_gpu_and_its_vectors_put_a_topic_together()
    {
        using var folder = new TempFolder();
        string corpus = TopicCorpusFile.Write(folder), vectors = folder.File("v.bin");
        CliRun trained = CliRun.Of("train", "word2vec", "-i", corpus, "-o", vectors, "--cbow", "0", "--size", "12",
            "--window", "3", "--min-count", "1", "--sample", "0", "--iter", "2", "--threads", "1", "--device", "emulated");
        Assert.True(trained.ExitCode == 0, trained.Error);
        Assert.Contains("device emulated", trained.Error, StringComparison.Ordinal);
        Assert.Contains("wrote 16 vectors of dimension 12", trained.Output, StringComparison.Ordinal);

        CliRun similar = CliRun.Of("similar", "-v", vectors, "a1", "-n", "3");
        Assert.True(similar.ExitCode == 0, similar.Error);
        string[] neighbours = similar.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..];
        Assert.Equal(3, neighbours.Length);
        Assert.All(neighbours, line => Assert.StartsWith("a", line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]));
    }
}
