using EmbedEngine.Kernels.Gpu;

namespace EmbedEngine.Cli.Tests;

/// <summary><c>--device</c> on <c>embed train gpt/bert/char-lm</c>: a GPU that is not there is bad input; the emulated GPU trains a checkpoint the CPU reads.</summary>
public sealed class ContextualDeviceTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A tiny model of <paramref name="kind"/>; a transformer gets 2 heads (an LSTM takes none).</summary>
    private CliRun Train(string kind, string device) => CliRun.Of(["train", kind, "-i",
        _folder.Write("corpus.txt", string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog. ", 10))),
        .. kind == "char-lm" ? Array.Empty<string>() : ["--heads", "2"], "--layers", "1", "--dim", "8", "--context", "8", "--batch", "2", "--iters", "2", "--eval-interval", "2",
        "--threads", "1", "--device", device, "-o", _folder.File("model")]);

    [Theory]
    [InlineData("gpt")]
    [InlineData("bert")]
    public void A_missing_gpu_is_bad_input_that_names_what_was_found(string kind)
    {
        if (GpuDevice.CudaDevices().Count > 0) return; // a machine with a GPU has one to find
        CliRun run = Train(kind, "cuda");
        BadInputTests.AssertBadInput(run, "asks for a CUDA GPU, but ILGPU found none");
        Assert.False(Directory.Exists(_folder.File("model")));
    }

    [Fact]
    public void An_lstm_on_a_gpu_is_bad_input()
    {
        CliRun run = Train("char-lm", "emulated");
        BadInputTests.AssertBadInput(run, "an LSTM model trains on the CPU only");
    }

    [Fact]
    public void Train_gpt_on_the_emulated_gpu_writes_a_checkpoint_the_cpu_evaluates()
    {
        CliRun run = Train("gpt", "emulated");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("device emulated", run.Error, StringComparison.Ordinal);
        Assert.Matches(@"iter 2: val loss [0-9.]+", run.Output);
        CliRun perplexity = CliRun.Of("eval", "perplexity", "-m", _folder.File("model"), "-i", _folder.Write("held-out.txt", "the lazy dog. the quick fox. "));
        Assert.True(perplexity.ExitCode == 0, perplexity.Error);
        Assert.Matches(@"perplexity [0-9.]+", perplexity.Output);
    }
}
