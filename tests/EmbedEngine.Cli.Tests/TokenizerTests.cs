namespace EmbedEngine.Cli.Tests;

public class TokenizerTests
{
    private const string Corpus = "hug hug hugs pug pun bun\n";

    /// <summary>Trains the hand-worked vocabulary (see the Text tests: merges "u g", "h ug", …, 10 in all) into the folder.</summary>
    private static (string Vocab, string Merges) Train(TempFolder folder)
    {
        string corpus = folder.Write("corpus.txt", Corpus);
        string target = folder.File("bpe");
        CliRun run = CliRun.Of("train", "bpe", "-i", corpus, "--vocab-size", "300", "-o", target);
        Assert.True(run.ExitCode == 0, run.Error);
        return (Path.Combine(target, "vocab.json"), Path.Combine(target, "merges.txt"));
    }

    [Fact]
    public void Train_bpe_writes_gpt2s_file_pair_and_says_how_long_it_took()
    {
        using var folder = new TempFolder();
        string corpus = folder.Write("corpus.txt", Corpus);
        string second = folder.Write("more.txt", "hug\n");
        string target = folder.File("bpe");
        CliRun run = CliRun.Of("train", "bpe", "-i", corpus, "-i", second, "--vocab-size", "300", "-o", target);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Matches(@"counted 9 pre-tokens \(7 distinct\) in [0-9.]+ s, learned 10 merges in [0-9.]+ s; [0-9.]+ s in all", run.Output);
        Assert.Contains("the vocabulary has 267 tokens, not 300", run.Output, StringComparison.Ordinal);
        string[] merges = File.ReadAllLines(Path.Combine(target, "merges.txt"));
        Assert.Equal(["#version: 0.2", "u g", "h ug"], merges[..3]);
        Assert.Contains("\"<|endoftext|>\": 266", File.ReadAllText(Path.Combine(target, "vocab.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Tokenize_prints_ids_tokens_and_decodes_ids_back()
    {
        using var folder = new TempFolder();
        var (vocab, merges) = Train(folder);
        CliRun ids = CliRun.Of("tokenize", "--vocab", vocab, "--merges", merges, "hugs", "bun");
        Assert.True(ids.ExitCode == 0, ids.Error);
        Assert.Equal("257 82 262", ids.Output.Trim());

        CliRun tokens = CliRun.Of("tokenize", "--vocab", vocab, "--merges", merges, "--tokens", "hugs", "bun");
        Assert.Equal("hug s Ġbun", tokens.Output.Trim());

        CliRun text = CliRun.Of("tokenize", "--vocab", vocab, "--merges", merges, "--decode", "257", "82", "262");
        Assert.Equal("hugs bun", text.Output.TrimEnd('\n', '\r'));

        string file = folder.Write("input.bin", [(byte)'h', (byte)'u', (byte)'g', 0xFF]);
        CliRun bytes = CliRun.Of("tokenize", "--vocab", vocab, "--merges", merges, "-i", file);
        Assert.True(bytes.ExitCode == 0, bytes.Error);
        Assert.Equal("257 187", bytes.Output.Trim());
    }

    [Fact]
    public void A_malformed_merges_file_is_bad_input_naming_file_and_line()
    {
        using var folder = new TempFolder();
        var (vocab, merges) = Train(folder);
        File.WriteAllText(merges, "#version: 0.2\nu g\nh ug extra\n");
        CliRun run = CliRun.Of("tokenize", "--vocab", vocab, "--merges", merges, "hug");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{merges} line 3: expected two tokens separated by one space, found 'h ug extra'", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--decode", "12", "x7", "the arguments: 'x7' (item 2) is not a token id")]
    [InlineData("--decode", "12", "9999", "Token id 9999 at position 1 is outside the vocabulary of 267")]
    public void Bad_ids_are_bad_input(string flag, string first, string second, string expected)
    {
        using var folder = new TempFolder();
        var (vocab, merges) = Train(folder);
        CliRun run = CliRun.Of("tokenize", "--vocab", vocab, "--merges", merges, flag, first, second);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_corpus_or_a_tiny_vocabulary_is_bad_input()
    {
        using var folder = new TempFolder();
        CliRun missing = CliRun.Of("train", "bpe", "-i", folder.File("absent.txt"), "-o", folder.File("out"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("absent.txt", missing.Error, StringComparison.Ordinal);

        string corpus = folder.Write("corpus.txt", Corpus);
        CliRun tiny = CliRun.Of("train", "bpe", "-i", corpus, "--vocab-size", "100", "-o", folder.File("out"));
        Assert.Equal(2, tiny.ExitCode);
        Assert.Contains("at least 257", tiny.Error, StringComparison.Ordinal);
    }
}
