using System.CommandLine;
using System.IO.Compression;
using EmbedEngine.Evaluation;
using EmbedEngine.Models.Word2Vec;
using EmbedEngine.Vectors;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>embed demo</c>: trains skip-gram on the State of the Union sample that ships with EmbedEngine, then shows
/// neighbours and the analogy accuracy — the whole pipeline, with nothing to download.
/// </summary>
internal static class DemoCommand
{
    private static readonly string[] ShowcaseWords = ["war", "peace", "congress", "tax", "army", "freedom"];

    public static Command Create(TextWriter output, TextWriter error)
    {
        var epochs = new Option<int>("--iter") { Description = "Passes over the sample corpus.", DefaultValueFactory = _ => 5 };
        var threads = new Option<int>("--threads") { Description = "Worker threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var save = new Option<FileInfo?>("--output", "-o") { Description = "Also save the vectors here (extension picks the format)." };
        var command = new Command("demo", "Train word2vec on the shipped State of the Union sample and show what it learned.") { epochs, threads, save };
        command.SetAction((parsed, cancellation) => Task.FromResult(Run(parsed.GetValue(epochs), parsed.GetValue(threads),
            parsed.GetValue(save)?.FullName, output, error, cancellation)));
        return command;
    }

    private static int Run(int epochs, int threads, string? savePath, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        string corpus = SamplePath("sotu.txt.gz");
        var options = new Word2VecOptions
        {
            Architecture = Word2VecArchitecture.SkipGram,
            Dimension = 100,
            Window = 5,
            Negative = 5,
            Sample = 1e-4,
            MinCount = 5,
            Epochs = epochs,
            Threads = threads,
        };
        output.WriteLine($"Training skip-gram (dim {options.Dimension}, {epochs} epochs, {threads} threads) on {Path.GetFileName(corpus)} ...");
        Word2VecResult result = TrainCommand.Train(corpus, options, metricsPath: null, error, cancellation);
        using KeyedVectors vectors = result.Vectors;
        TrainCommand.Summarize(result, output);
        output.WriteLine();
        foreach (string word in ShowcaseWords)
            if (vectors.IndexOf(word) >= 0)
                SimilarCommand.Write(word, vectors.MostSimilar(word, 5), output);
        output.WriteLine();
        SimilarCommand.Write("king - man + woman", vectors.MostSimilar(["king", "woman"], ["man"], 5), output);
        output.WriteLine();

        string questions = Path.Combine(Path.GetTempPath(), $"embed-demo-questions-{Environment.ProcessId}.txt");
        try
        {
            Decompress(SamplePath("questions-words.txt.gz"), questions);
            AnalogyReport report = AnalogyEvaluator.Evaluate(vectors, questions, restrictTo: 30000);
            EvalCommand.WriteAnalogy(report, output, perSection: false);
        }
        finally
        {
            File.Delete(questions);
        }
        if (savePath != null)
        {
            VectorFile.Save(vectors, savePath, VectorFile.FormatFromExtension(savePath));
            output.WriteLine($"wrote {savePath}");
        }
        return ExitCodes.Success;
    }

    /// <summary>The shipped sample file: next to the binary (copied at build), else in the source tree.</summary>
    private static string SamplePath(string name)
    {
        string besideBinary = Path.Combine(AppContext.BaseDirectory, "samples", name);
        if (File.Exists(besideBinary)) return besideBinary;
        throw new FileNotFoundException($"sample '{name}' is missing: expected {besideBinary} (it ships in the repository's samples/ folder)");
    }

    private static void Decompress(string gzipPath, string target)
    {
        using var source = new GZipStream(File.OpenRead(gzipPath), CompressionMode.Decompress);
        using var destination = File.Create(target);
        source.CopyTo(destination);
    }
}
