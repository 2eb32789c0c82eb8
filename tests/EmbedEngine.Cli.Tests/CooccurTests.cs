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
        CooccurrenceMatrix counts = CooccurrenceMatrix.Load(matrix);
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
}
