namespace EmbedEngine.Cli.Tests;

/// <summary><c>embed quantize</c>: a .bin in, a .ftz out that <c>embed test</c> reads, and its bad input.</summary>
public sealed class QuantizeTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "FastText", name);

    /// <summary>fastText's spam classifier copied to <c>&lt;folder&gt;/spam.bin</c>; returns the prefix.</summary>
    private static string SpamModel(TempFolder folder)
    {
        string prefix = folder.File("spam");
        File.Copy(Fixture("spam-softmax.bin"), prefix + ".bin");
        return prefix;
    }

    [Fact]
    public void Quantize_writes_a_smaller_ftz_that_test_reads()
    {
        using var folder = new TempFolder();
        string prefix = SpamModel(folder);
        CliRun run = CliRun.Of("quantize", "-output", prefix, "-cutoff", "500", "-qnorm");
        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        Assert.Contains("quantized 500 input rows", run.Output, StringComparison.Ordinal);
        Assert.True(new FileInfo(prefix + ".ftz").Length < new FileInfo(prefix + ".bin").Length / 4);
        CliRun test = CliRun.Of("test", prefix + ".ftz", Fixture("spam-test.txt"));
        Assert.Equal(ExitCodes.Success, test.ExitCode);
        Assert.StartsWith("N\t12\nP@1\t", test.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Retrain_runs_on_the_input_file()
    {
        using var folder = new TempFolder();
        string prefix = SpamModel(folder);
        CliRun run = CliRun.Of("quantize", "-output", prefix, "-input", Fixture("spam-test.txt"), "-cutoff", "300",
            "-retrain", "-epoch", "1", "-thread", "1");
        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        Assert.True(File.Exists(prefix + ".ftz"));
    }

    [Theory]
    [InlineData("needs the labelled training file as -input", "-cutoff", "300", "-retrain")]
    [InlineData("dsub must be at least 1", "-dsub", "0")]
    [InlineData("larger than the model's", "-cutoff", "100000")]
    [InlineData("at least 256", "-qout")]
    public void Bad_options_exit_2_and_write_nothing(string reason, params string[] options)
    {
        using var folder = new TempFolder();
        string prefix = SpamModel(folder);
        CliRun run = CliRun.Of(["quantize", "-output", prefix, .. options]);
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(reason, run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(prefix + ".ftz"));
    }

    [Fact]
    public void Missing_model_exits_2()
    {
        using var folder = new TempFolder();
        CliRun run = CliRun.Of("quantize", "-output", folder.File("absent"));
        BadInputTests.AssertBadInput(run, "absent.bin");
    }
}
