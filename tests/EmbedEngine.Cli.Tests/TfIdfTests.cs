using System.Globalization;
using System.IO.Compression;

namespace EmbedEngine.Cli.Tests;

/// <summary>
/// <c>embed tfidf</c> end to end on the three hand-worked documents "cat dog", "cat cat fish", "dog":
/// vocabulary cat, dog, fish; smooth idf 1.28768, 1.28768, 1.69315. Weights are float32 (all below 3 here), so
/// they are held to 1e-6.
/// </summary>
public sealed class TfIdfTests
{
    private const string HandCorpus = "cat dog\ncat cat fish\ndog\n";

    private static void AssertSucceeded(CliRun run) => Assert.True(run.ExitCode == 0, run.Error);

    private static void AssertBadInput(CliRun run, string expectedInMessage)
    {
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(expectedInMessage, run.Error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", run.Error);
    }

    /// <summary>The svmlight rows of a file as (1-based index → value) maps.</summary>
    private static List<Dictionary<int, double>> ReadSvmLight(string path) =>
        File.ReadAllLines(path).Select(line =>
        {
            string[] fields = line.Split(' ');
            Assert.Equal("0", fields[0]);
            return fields[1..].Select(f => f.Split(':')).ToDictionary(
                p => int.Parse(p[0], CultureInfo.InvariantCulture), p => double.Parse(p[1], CultureInfo.InvariantCulture));
        }).ToList();

    [Fact]
    public void Fit_transform_and_search_give_the_hand_computed_values()
    {
        using var folder = new TempFolder();
        string corpus = folder.Write("docs.txt", HandCorpus);
        string model = folder.File("m.tfidf");

        CliRun fit = CliRun.Of("tfidf", "fit", "-i", corpus, "-o", model);
        AssertSucceeded(fit);
        Assert.Contains("3 documents, vocabulary of 3 terms, 5 nonzeros", fit.Output);
        Assert.True(File.Exists(model + ".index"));

        string vectors = folder.File("docs.svm");
        AssertSucceeded(CliRun.Of("tfidf", "transform", "--model", model, "-i", corpus, "-o", vectors));
        var rows = ReadSvmLight(vectors);
        Assert.Equal(3, rows.Count);
        Assert.Equal([1, 2], rows[0].Keys);
        Assert.Equal(0.7071067811865475, rows[0][1], 1e-6);
        Assert.Equal(0.8355915419449176, rows[1][1], 1e-6);
        Assert.Equal(0.5493512310263033, rows[1][3], 1e-6);
        Assert.Equal(1.0, rows[2][2], 1e-6);

        CliRun search = CliRun.Of("tfidf", "search", "--model", model, "--query", "cat fish", "--top", "5");
        AssertSucceeded(search);
        Assert.Equal(["cat fish:", "   0.9431  1", "   0.4280  0"], search.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Options_reach_the_model()
    {
        using var folder = new TempFolder();
        string corpus = folder.Write("docs.txt", HandCorpus);
        string model = folder.File("m.tfidf");
        string vectors = folder.File("docs.svm");

        AssertSucceeded(CliRun.Of("tfidf", "fit", "-i", corpus, "-o", model, "--idf", "plain", "--norm", "none", "--sublinear-tf"));
        AssertSucceeded(CliRun.Of("tfidf", "transform", "-m", model, "-i", corpus, "-o", vectors));

        // "cat cat fish": cat (1 + ln 2)(ln(3/2) + 1), fish ln(3) + 1.
        var rows = ReadSvmLight(vectors);
        Assert.Equal((1 + Math.Log(2)) * (Math.Log(1.5) + 1), rows[1][1], 1e-6);
        Assert.Equal(Math.Log(3) + 1, rows[1][3], 1e-6);
    }

    [Fact]
    public void Binary_counts_a_repeated_term_once()
    {
        using var folder = new TempFolder();
        string corpus = folder.Write("docs.txt", HandCorpus);
        string model = folder.File("m.tfidf");
        string vectors = folder.File("docs.svm");

        AssertSucceeded(CliRun.Of("tfidf", "fit", "-i", corpus, "-o", model, "--binary", "--idf", "none", "--norm", "none"));
        AssertSucceeded(CliRun.Of("tfidf", "transform", "-m", model, "-i", corpus, "-o", vectors));

        Assert.Equal(1.0, ReadSvmLight(vectors)[1][1]);
    }

    [Fact]
    public void A_directory_is_a_document_per_file_and_gzip_reads_like_plain_text()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("docs"));
        File.WriteAllText(folder.File("docs/1.txt"), "cat\ndog\n");
        using (var gzip = new GZipStream(File.Create(folder.File("docs/2.txt.gz")), CompressionLevel.Fastest))
            gzip.Write("cat cat\nfish"u8);
        File.WriteAllText(folder.File("docs/3.txt"), "dog");
        string model = folder.File("m.tfidf");
        string index = folder.File("docs.index");

        AssertSucceeded(CliRun.Of("tfidf", "fit", "-i", folder.File("docs"), "-o", model, "--index", index));
        string queries = folder.Write("queries.txt", "fish\n\ndog dog\n");
        CliRun search = CliRun.Of("tfidf", "search", "-m", model, "--index", index, "--queries", queries, "-n", "1");

        AssertSucceeded(search);
        Assert.Equal(["fish:", $"   0.5494  {folder.File("docs/2.txt.gz")}", "dog dog:", $"   1.0000  {folder.File("docs/3.txt")}"],
            search.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Transform_to_an_index_file_makes_it_searchable()
    {
        using var folder = new TempFolder();
        string model = folder.File("m.tfidf");
        AssertSucceeded(CliRun.Of("tfidf", "fit", "-i", folder.Write("docs.txt", HandCorpus), "-o", model));
        string others = folder.Write("others.txt", "fish fish\nbird\ndog cat\n");
        string index = folder.File("others.index");

        AssertSucceeded(CliRun.Of("tfidf", "transform", "-m", model, "-i", others, "-o", index));
        CliRun search = CliRun.Of("tfidf", "search", "-m", model, "--index", index, "-q", "dog");

        AssertSucceeded(search);
        Assert.Equal(["dog:", "   0.7071  2"], search.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Missing_input_is_bad_input()
    {
        using var folder = new TempFolder();
        AssertBadInput(CliRun.Of("tfidf", "fit", "-i", folder.File("absent.txt"), "-o", folder.File("m")), "absent.txt");
        Assert.False(File.Exists(folder.File("m")));
    }

    [Fact]
    public void Empty_input_is_bad_input()
    {
        using var folder = new TempFolder();
        AssertBadInput(CliRun.Of("tfidf", "fit", "-i", folder.Write("empty.txt", "\n \n"), "-o", folder.File("m")), "no documents");
        Assert.False(File.Exists(folder.File("m")));
    }

    [Fact]
    public void A_vocabulary_pruned_to_nothing_is_bad_input()
    {
        using var folder = new TempFolder();
        string corpus = folder.Write("docs.txt", "cat dog\nfish bird\n");
        AssertBadInput(CliRun.Of("tfidf", "fit", "-i", corpus, "-o", folder.File("m"), "--min-df", "2"), "no terms of");
        AssertBadInput(CliRun.Of("tfidf", "fit", "-i", folder.Write("short.txt", "a b c\n"), "-o", folder.File("m")), "holds no terms");
    }

    [Theory]
    [InlineData("--hash-features", "1000", "power of two")]
    [InlineData("--ngram-range", "3,1", "n-gram range")]
    [InlineData("--ngram-range", "one", "--ngram-range")]
    [InlineData("--analyzer", "sentence", "--analyzer")]
    [InlineData("--idf", "log", "--idf")]
    [InlineData("--min-df", "1.5", "--min-df")]
    [InlineData("--max-features", "-3", "max-features")]
    public void Invalid_options_are_bad_input(string option, string value, string expectedInMessage)
    {
        using var folder = new TempFolder();
        string corpus = folder.Write("docs.txt", HandCorpus);
        AssertBadInput(CliRun.Of("tfidf", "fit", "-i", corpus, "-o", folder.File("m"), option, value), expectedInMessage);
    }

    [Fact]
    public void A_forged_model_is_bad_input()
    {
        using var folder = new TempFolder();
        string forged = folder.Write("forged.tfidf", [.. "EETFIDF1"u8, .. new byte[40]]);
        AssertBadInput(CliRun.Of("tfidf", "search", "-m", forged, "-q", "cat"), "forged.tfidf");
        AssertBadInput(CliRun.Of("tfidf", "transform", "-m", forged, "-i", folder.Write("d.txt", "cat"), "-o", folder.File("o.svm")), "checksum");
    }

    [Fact]
    public void An_index_of_another_model_is_bad_input()
    {
        using var folder = new TempFolder();
        string first = folder.File("first.tfidf");
        string second = folder.File("second.tfidf");
        AssertSucceeded(CliRun.Of("tfidf", "fit", "-i", folder.Write("a.txt", HandCorpus), "-o", first));
        AssertSucceeded(CliRun.Of("tfidf", "fit", "-i", folder.Write("b.txt", "cat dog\nbird\n"), "-o", second));

        AssertBadInput(CliRun.Of("tfidf", "search", "-m", second, "--index", first + ".index", "-q", "cat"), "another model");
    }

    [Fact]
    public void Search_needs_a_query()
    {
        using var folder = new TempFolder();
        string model = folder.File("m.tfidf");
        AssertSucceeded(CliRun.Of("tfidf", "fit", "-i", folder.Write("docs.txt", HandCorpus), "-o", model));
        AssertBadInput(CliRun.Of("tfidf", "search", "-m", model), "--query");
    }
}
