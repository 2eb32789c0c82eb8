using System.Globalization;
using System.Text.RegularExpressions;
using EmbedEngine.Kernels.Gpu;

namespace EmbedEngine.Cli.Tests;

/// <summary>
/// <c>--device</c> on the neural trainers: a GPU that is not there is bad input; on the emulated GPU <c>embed train
/// gpt/char-lm</c> write a checkpoint the CPU reads (and scores as the device did). ELMo, CLIP and SimCSE on the
/// emulated GPU are tested beside their other CLI tests.
/// </summary>
public sealed class ContextualDeviceTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A tiny model of <paramref name="kind"/> validated on <see cref="HeldOut"/>; a transformer gets 2 heads (an LSTM takes none).</summary>
    private CliRun Train(string kind, string device) => CliRun.Of(["train", kind, "-i",
        _folder.Write("corpus.txt", string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog. ", 10))), "--validation", HeldOut,
        .. kind == "char-lm" ? Array.Empty<string>() : ["--heads", "2"], "--layers", "1", "--dim", "8", "--context", "8", "--batch", "2", "--iters", "2", "--eval-interval", "2",
        "--threads", "1", "--device", device, "-o", _folder.File("model")]);

    private string HeldOut => _folder.Write("held-out.txt", "the lazy dog. the quick fox. ");

    [Theory]
    [InlineData("gpt")]
    [InlineData("bert")]
    [InlineData("char-lm")]
    public void A_missing_gpu_is_bad_input_that_names_what_was_found(string kind)
    {
        if (GpuDevice.CudaDevices().Count > 0) return; // a machine with a GPU has one to find
        CliRun run = Train(kind, "cuda");
        BadInputTests.AssertBadInput(run, "asks for a CUDA GPU, but ILGPU found none");
        Assert.False(Directory.Exists(_folder.File("model")));
    }

    [Fact]
    public void A_missing_gpu_is_bad_input_to_elmo_clip_and_simcse_before_their_data_is_read()
    {
        if (GpuDevice.CudaDevices().Count > 0) return; // a machine with a GPU has one to find
        string missing = _folder.File("not-there");
        foreach (string[] command in new string[][]
        {
            ["train", "elmo", "-i", missing, "-o", _folder.File("elmo")],
            ["train", "clip", "--data", missing, "-o", _folder.File("clip")],
            ["train", "simcse", "-m", missing, "-i", missing, "-o", _folder.File("simcse")],
        })
            BadInputTests.AssertBadInput(CliRun.Of([.. command, "--device", "cuda"]), "asks for a CUDA GPU, but ILGPU found none");
    }

    [Fact]
    public void Train_char_lm_on_the_emulated_gpu_writes_a_checkpoint_the_cpu_scores_alike()
    {
        CliRun run = Train("char-lm", "emulated");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("device emulated", run.Error, StringComparison.Ordinal);
        double first = Number(run.Output, @"iter 0: val loss ([0-9.]+)"), last = Number(run.Output, @"iter 2: val loss ([0-9.]+)");
        Assert.True(last < first, run.Output);
        // The last validation ran on the device after the last update; the CPU reads the saved model and scores the same text.
        CliRun perplexity = CliRun.Of("eval", "perplexity", "-m", _folder.File("model"), "-i", HeldOut);
        Assert.True(perplexity.ExitCode == 0, perplexity.Error);
        // Both print 4 decimals; the two evaluations differ only in summation order.
        Assert.InRange(Number(perplexity.Output, @"loss ([0-9.]+) nats/token"), last - 2e-4, last + 2e-4);
    }

    private static double Number(string text, string pattern)
    {
        Match match = Regex.Match(text, pattern);
        Assert.True(match.Success, $"'{pattern}' not in: {text}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Train_gpt_on_the_emulated_gpu_writes_a_checkpoint_the_cpu_evaluates()
    {
        CliRun run = Train("gpt", "emulated");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("device emulated", run.Error, StringComparison.Ordinal);
        Assert.Matches(@"iter 2: val loss [0-9.]+", run.Output);
        CliRun perplexity = CliRun.Of("eval", "perplexity", "-m", _folder.File("model"), "-i", HeldOut);
        Assert.True(perplexity.ExitCode == 0, perplexity.Error);
        Assert.Matches(@"perplexity [0-9.]+", perplexity.Output);
    }
}
