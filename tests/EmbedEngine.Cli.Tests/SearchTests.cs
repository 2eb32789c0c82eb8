namespace EmbedEngine.Cli.Tests;

/// <summary><c>embed search</c>: the nearest lines of a collection to a query, with a reusable encoded cache.</summary>
public sealed class SearchTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_nearest_lines_come_first_and_the_cache_is_reused_until_the_collection_changes()
    {
        string vectors = _folder.Write("vectors.txt", "cat 1 0 0\ndog 0.9 0.1 0\nstock 0 0 1\nmarket 0 0.1 0.9\n");
        string index = _folder.Write("index.txt", "the stock market\na dog\nthe cat\n\n");
        string cache = _folder.File("index.eev");
        CliRun run = CliRun.Of("search", "-v", vectors, "--index", index, "-q", "Dog!", "-k", "2", "--cache", cache);
        Assert.True(run.ExitCode == 0, run.Error);
        string[] lines = run.Output.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Equal("1\t1.0000\t2\ta dog", lines[0]);
        Assert.Equal("2\t0.9939\t3\tthe cat", lines[1]); // 0.9 / |(0.9, 0.1, 0)|
        Assert.Contains("encoded 4 sentences into", run.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(cache));

        run = CliRun.Of("search", "-v", vectors, "--index", index, "-q", "market", "-k", "1", "--cache", cache);
        Assert.Contains("using the encoded collection", run.Error, StringComparison.Ordinal);
        Assert.Matches(@"^1\t[0-9.]+\t1\tthe stock market\n$", run.Output);

        File.AppendAllText(index, "stock stock\n");
        run = CliRun.Of("search", "-v", vectors, "--index", index, "-q", "market", "-k", "1", "--cache", cache);
        Assert.Contains("encoded 5 sentences into", run.Error, StringComparison.Ordinal);
        BadInputTests.AssertBadInput(CliRun.Of("search", "-v", vectors, "--index", index, "-q", "x", "-k", "0"), "-k must be at least 1");
    }
}
