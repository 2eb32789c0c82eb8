using EmbedEngine.Kernels;
using EmbedEngine.Text;

namespace EmbedEngine.Cli.Tests;

public sealed class CooccurTests
{
    [Fact]
    public void Writes_a_matrix_and_its_vocabulary_that_load_back()
    {
        using var folder = new TempFolder();
        string corpus = folder.Write("c.txt", "a b a\nb a\n");
        string matrix = folder.File("cooc.bin");

        CliRun run = CliRun.Of("cooccur", "-i", corpus, "-o", matrix, "--window", "2", "--min-count", "1");

        Assert.True(run.ExitCode == 0, run.Error);
        Vocabulary vocabulary = VocabularyFile.Load(matrix + ".vocab");
        Assert.Equal(["a", "b"], vocabulary.Words);
        CsrMatrix counts = CooccurrenceFile.Load(matrix);
        // "a b a": (b,a)=1 (a,b)=1 at distance 1, twice, and (a,a)=1/2 twice (symmetric); "b a": (a,b)=(b,a)=1.
        Assert.Equal(1f, counts.Get(0, 0), 1e-6f);
        Assert.Equal(3f, counts.Get(0, 1), 1e-6f);
        Assert.Equal(3f, counts.Get(1, 0), 1e-6f);
        Assert.Equal(0f, counts.Get(1, 1));
    }

    [Fact]
    public void A_zero_window_is_bad_input()
    {
        using var folder = new TempFolder();
        string corpus = folder.Write("c.txt", "a b a\n");
        CliRun run = CliRun.Of("cooccur", "-i", corpus, "-o", folder.File("m.bin"), "--window", "0");
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("window", run.Error);
    }

    [Fact]
    public void A_quarter_budget_spills_runs_and_writes_the_identical_file()
    {
        using var folder = new TempFolder();
        var text = new System.Text.StringBuilder();
        var random = new Random(7);
        for (int line = 0; line < 4_000; line++)
        {
            for (int word = 0; word < 12; word++) text.Append('w').Append(random.Next(3_000)).Append(' ');
            text.Append('\n');
        }
        string corpus = folder.Write("c.txt", text.ToString());

        CliRun whole = CliRun.Of("cooccur", "-i", corpus, "-o", folder.File("whole.bin"), "--min-count", "1", "--threads", "1");
        CliRun spilled = CliRun.Of("cooccur", "-i", corpus, "-o", folder.File("spilled.bin"), "--min-count", "1", "--threads", "2",
            "--memory", "14M", "--temp-dir", folder.Path);

        Assert.True(whole.ExitCode == 0, whole.Error);
        Assert.True(spilled.ExitCode == 0, spilled.Error);
        Assert.Contains(" 0 runs spilled", whole.Output);
        Assert.DoesNotContain(" 0 runs spilled", spilled.Output);
        Assert.Equal(File.ReadAllBytes(folder.File("whole.bin")), File.ReadAllBytes(folder.File("spilled.bin")));
    }

    [Theory]
    [InlineData("1M", "cannot hold one block")]
    [InlineData("lots", "not a size")]
    [InlineData("-5G", "not a size")]
    public void A_memory_budget_that_is_too_small_or_not_a_size_is_bad_input(string memory, string expected)
    {
        using var folder = new TempFolder();
        string corpus = folder.Write("c.txt", "a b a\n");
        CliRun run = CliRun.Of("cooccur", "-i", corpus, "-o", folder.File("m.bin"), "--min-count", "1", "--memory", memory);
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(expected, run.Error);
        Assert.False(File.Exists(folder.File("m.bin")));
    }

    [Fact]
    public void An_empty_corpus_is_bad_input()
    {
        using var folder = new TempFolder();
        string corpus = folder.Write("empty.txt", "");
        CliRun run = CliRun.Of("cooccur", "-i", corpus, "-o", folder.File("m.bin"));
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("empty", run.Error);
        Assert.False(File.Exists(folder.File("m.bin")));
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("forged")]
    public void A_truncated_or_forged_matrix_is_bad_input_for_glove(string damage)
    {
        using var folder = new TempFolder();
        string corpus = folder.Write("c.txt", "a b a c\nb c a\n");
        string matrix = folder.File("m.bin");
        Assert.Equal(0, CliRun.Of("cooccur", "-i", corpus, "-o", matrix, "--min-count", "1").ExitCode);
        byte[] bytes = File.ReadAllBytes(matrix);
        if (damage == "truncated") bytes = bytes[..^9];
        else System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(16), long.MaxValue / 2); // nonzeros
        File.WriteAllBytes(matrix, bytes);

        CliRun run = CliRun.Of("train", "glove", "-i", matrix, "-o", folder.File("v.txt"));

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("m.bin", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
        Assert.False(File.Exists(folder.File("v.txt")));
    }
}
