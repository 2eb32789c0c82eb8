namespace EmbedEngine.Cli.Tests;

/// <summary><c>embed vectors</c> prints what fastText's print-word-vectors prints; fastText models answer similar queries.</summary>
public sealed class FastTextVectorsTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "FastText", name);

    private static string ModelPath => Fixture("tiny-skipgram.bin");

    /// <summary>fastText's printed line for each word of the fixture ("word v1 ... v8 ").</summary>
    private static Dictionary<string, string> FastTextLines() =>
        File.ReadAllLines(Fixture("expected-word-vectors.txt")).ToDictionary(line => line[..line.IndexOf(' ')]);

    [Fact]
    public void Words_on_the_command_line_print_as_fastText_prints_them()
    {
        CliRun run = CliRun.Of("vectors", "-m", ModelPath, "the", "привет", "</s>", "unconstitutionality");
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var expected = FastTextLines();
        Assert.Equal(new[] { "the", "привет", "</s>", "unconstitutionality" }.Select(word => expected[word]),
            run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Without_words_they_come_from_standard_input()
    {
        TextReader original = System.Console.In;
        try
        {
            System.Console.SetIn(new StringReader("war café\n\n  x\tagriculture\n"));
            CliRun run = CliRun.Of("vectors", "-m", ModelPath);
            Assert.Equal(ExitCodes.Success, run.ExitCode);
            var expected = FastTextLines();
            Assert.Equal(new[] { "war", "café", "x", "agriculture" }.Select(word => expected[word]),
                run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            System.Console.SetIn(original);
        }
    }

    [Fact]
    public void Similar_reads_a_fastText_model_by_its_magic_number()
    {
        CliRun run = CliRun.Of("similar", "-v", ModelPath, "war", "-n", "3");
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        string[] lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("war:", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.DoesNotContain(lines[1..], line => line.EndsWith(" war", StringComparison.Ordinal));
    }

    [Fact]
    public void A_truncated_model_is_bad_input()
    {
        using var folder = new TempFolder();
        byte[] whole = File.ReadAllBytes(ModelPath);
        string cut = folder.Write("cut.bin", whole[..(whole.Length / 2)]);
        foreach (CliRun run in new[] { CliRun.Of("vectors", "-m", cut, "the"), CliRun.Of("similar", "-v", cut, "the") })
        {
            Assert.Equal(ExitCodes.BadInput, run.ExitCode);
            Assert.Contains("cut.bin: at byte", run.Error);
            Assert.Contains("truncated", run.Error);
            Assert.DoesNotContain("   at ", run.Error);
        }
    }

    [Fact]
    public void A_file_that_is_not_a_fastText_model_is_bad_input()
    {
        using var folder = new TempFolder();
        string notModel = folder.Write("words.bin", "2 3\nnot a model\n");
        CliRun run = CliRun.Of("vectors", "-m", notModel, "the");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("words.bin: at byte 0: the magic number", run.Error);
        Assert.Contains("not a fastText binary model", run.Error);
    }
}
