namespace EmbedEngine.Cli.Tests;

/// <summary>Every kind of bad input ends with a message naming the problem and exit code 2.</summary>
public sealed class BadInputTests
{
    internal static void AssertBadInput(CliRun run, string expectedInMessage)
    {
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(expectedInMessage, run.Error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", run.Error); // no stack trace
    }

    [Fact]
    public void Missing_corpus()
    {
        using var folder = new TempFolder();
        AssertBadInput(CliRun.Of("train", "word2vec", "-i", folder.File("absent.txt"), "-o", folder.File("v.bin")), "absent.txt");
        Assert.False(File.Exists(folder.File("v.bin")));
    }

    [Fact]
    public void Empty_corpus()
    {
        using var folder = new TempFolder();
        string corpus = folder.Write("empty.txt", "");
        AssertBadInput(CliRun.Of("train", "word2vec", "-i", corpus, "-o", folder.File("v.bin")), "empty");
        Assert.False(File.Exists(folder.File("v.bin")));
    }

    [Fact]
    public void Binary_junk_as_corpus()
    {
        using var folder = new TempFolder();
        var junk = new byte[200_000];
        new Random(3).NextBytes(junk);
        string corpus = folder.Write("junk.bin", junk);
        AssertBadInput(CliRun.Of("train", "word2vec", "-i", corpus, "-o", folder.File("v.bin")), "junk.bin");
        Assert.False(File.Exists(folder.File("v.bin")));
    }

    [Fact]
    public void Truncated_binary_model()
    {
        using var folder = new TempFolder();
        byte[] whole = Word2VecBinary(("alpha", [1f, 2f, 3f]), ("beta", [4f, 5f, 6f]));
        string model = folder.Write("cut.bin", whole[..(whole.Length - 7)]);
        AssertBadInput(CliRun.Of("similar", "-v", model, "alpha"), "cut.bin");
    }

    [Fact]
    public void Forged_header_claiming_a_giant_matrix()
    {
        using var folder = new TempFolder();
        byte[] forged = [.. "2000000000 1000000\n"u8, .. Word2VecBinary(("alpha", [1f, 2f, 3f]))[4..]];
        string model = folder.Write("forged.bin", forged);
        AssertBadInput(CliRun.Of("similar", "-v", model, "alpha"), "forged.bin");
    }

    [Fact]
    public void Corrupted_native_model_is_refused_at_open()
    {
        using var folder = new TempFolder();
        string text = folder.Write("ok.txt", "2 3\nalpha 1 2 3\nbeta 4 5 6\n");
        string model = folder.File("m.eev");
        using (var vectors = EmbedEngine.Vectors.VectorFile.Load(text))
            EmbedEngine.Vectors.VectorFile.Save(vectors, model, EmbedEngine.Vectors.VectorFormat.Native);
        Assert.Equal(0, CliRun.Of("similar", "-v", model, "alpha").ExitCode);

        byte[] bytes = File.ReadAllBytes(model);
        bytes[^5] ^= 0x40; // a bit flip inside the matrix
        File.WriteAllBytes(model, bytes);
        AssertBadInput(CliRun.Of("similar", "-v", model, "alpha"), "m.eev");
    }

    [Fact]
    public void Text_model_with_a_short_row()
    {
        using var folder = new TempFolder();
        string model = folder.Write("short.txt", "2 3\nalpha 1 2 3\nbeta 4 5\n");
        AssertBadInput(CliRun.Of("similar", "-v", model, "alpha"), "short.txt");
    }

    [Fact]
    public void Unknown_option_and_missing_required_option()
    {
        AssertBadInput(CliRun.Of("train", "word2vec", "--no-such-option"), "no-such-option");
        AssertBadInput(CliRun.Of("eval", "analogy", "-q", "x.txt"), "--vectors");
    }

    [Fact]
    public void Options_out_of_range()
    {
        using var folder = new TempFolder();
        string corpus = folder.Write("c.txt", "a b c\n");
        AssertBadInput(CliRun.Of("train", "word2vec", "-i", corpus, "-o", folder.File("v.bin"), "-size", "0"), "dimension");
    }

    [Fact]
    public void Unknown_word_in_a_query()
    {
        using var folder = new TempFolder();
        string model = folder.Write("ok.txt", "2 3\nalpha 1 2 3\nbeta 4 5 6\n");
        AssertBadInput(CliRun.Of("similar", "-v", model, "gamma"), "gamma");
    }

    /// <summary>The bytes word2vec.c writes with -binary 1.</summary>
    internal static byte[] Word2VecBinary(params (string Word, float[] Vector)[] rows)
    {
        using var stream = new MemoryStream();
        stream.Write(System.Text.Encoding.ASCII.GetBytes($"{rows.Length} {rows[0].Vector.Length}\n"));
        foreach ((string word, float[] vector) in rows)
        {
            stream.Write(System.Text.Encoding.UTF8.GetBytes(word + " "));
            foreach (float v in vector) stream.Write(BitConverter.GetBytes(v));
            stream.WriteByte((byte)'\n');
        }
        return stream.ToArray();
    }
}
