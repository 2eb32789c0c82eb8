using System.IO.Compression;

namespace EmbedEngine.Cli.Commands;

/// <summary>The State of the Union sample and its analogy questions, shipped in samples/ and copied beside the binary.</summary>
internal static class SampleFiles
{
    /// <summary>The corpus: one sentence a line, gzip.</summary>
    public const string Corpus = "sotu.txt.gz";

    /// <summary>Mikolov's analogy questions, gzip.</summary>
    public const string Questions = "questions-words.txt.gz";

    /// <summary>The shipped file called <paramref name="name"/>: next to the binary (copied at build).</summary>
    /// <exception cref="FileNotFoundException">It is not there.</exception>
    public static string Path(string name)
    {
        string besideBinary = System.IO.Path.Combine(AppContext.BaseDirectory, "samples", name);
        if (File.Exists(besideBinary)) return besideBinary;
        throw new FileNotFoundException($"sample '{name}' is missing: expected {besideBinary} (it ships in the repository's samples/ folder)");
    }

    /// <summary>Runs <paramref name="use"/> on a decompressed temporary copy of the analogy questions, deleted afterwards.</summary>
    public static T WithQuestions<T>(Func<string, T> use)
    {
        string questions = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"embed-questions-{Environment.ProcessId}-{Guid.NewGuid():N}.txt");
        try
        {
            using (var source = new GZipStream(File.OpenRead(Path(Questions)), CompressionMode.Decompress))
            using (var destination = File.Create(questions))
                source.CopyTo(destination);
            return use(questions);
        }
        finally
        {
            File.Delete(questions);
        }
    }
}
