using System.CommandLine;
using System.Globalization;
using EmbedEngine.Cli.Console;
using EmbedEngine.Evaluation;
using EmbedEngine.Models.FastText;
using EmbedEngine.Models.Word2Vec;
using EmbedEngine.Text;
using EmbedEngine.Vectors;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>embed demo</c>: trains fastText skip-gram with character n-grams (or plain word2vec, <c>--model word2vec</c>) on
/// the State of the Union sample that ships with EmbedEngine, then shows neighbours, vectors for words it never saw
/// and the analogy accuracy — the whole pipeline, with nothing to download. fastText is the default because on this
/// corpus its subwords answer about ten times as many analogies as word2vec (most of them the syntactic sections).
/// </summary>
internal static class DemoCommand
{
    private static readonly string[] ShowcaseWords = ["war", "peace", "congress", "tax", "army", "freedom"];

    /// <summary>Words the sample never uses (a misspelling, rare derivations): fastText builds them from their n-grams.</summary>
    private static readonly string[] UnseenWords = ["goverment", "unconstitutionally", "cyberwarfare"];

    public static Command Create(TextWriter output, TextWriter error)
    {
        var epochs = new Option<int>("--iter") { Description = "Passes over the sample corpus.", DefaultValueFactory = _ => 5 };
        var threads = new Option<int>("--threads") { Description = "Worker threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var save = new Option<FileInfo?>("--output", "-o") { Description = "Also save the vectors here (extension picks the format)." };
        var model = new Option<string>("--model") { Description = "fasttext (character n-grams 3-6, the default) or word2vec.", DefaultValueFactory = _ => "fasttext" };
        model.AcceptOnlyFromAmong("fasttext", "word2vec");
        var command = new Command("demo", "Train fastText (or word2vec) on the shipped State of the Union sample and show what it learned.") { model, epochs, threads, save };
        command.SetAction((parsed, cancellation) =>
        {
            int epochCount = parsed.GetValue(epochs), threadCount = parsed.GetValue(threads);
            if (epochCount < 1 || threadCount < 1) throw new ArgumentException("--iter and --threads must be at least 1.");
            return Task.FromResult(parsed.GetValue(model) == "word2vec"
                ? RunWord2Vec(epochCount, threadCount, parsed.GetValue(save)?.FullName, output, error, cancellation)
                : RunFastText(epochCount, threadCount, parsed.GetValue(save)?.FullName, output, error, cancellation));
        });
        return command;
    }

    private static int RunFastText(int epochs, int threads, string? savePath, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        string corpus = SampleFiles.Path(SampleFiles.Corpus);
        var options = new FastTextOptions { Dimension = 100, Epochs = epochs, Threads = threads };
        output.WriteLine($"Training fastText skip-gram (dim {options.Dimension}, character n-grams {options.MinN}-{options.MaxN}, {epochs} epochs, {threads} threads) on {Path.GetFileName(corpus)} ...");
        var progress = ProgressReporter.ForStandardError(error);
        Vocabulary vocabulary = Vocabulary.Build(corpus, options.MinCount);
        using FastTextResult result = progress.Follow(null, report =>
            FastTextTrainer.Train(corpus, vocabulary, options, report, ProgressReporter.Interval, cancellation));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"vocabulary {vocabulary.Count} words, {result.Final.WordsProcessed} words trained in {result.Final.Elapsed.TotalSeconds:F1} s ({ProgressReporter.FormatRate(result.Final.WordsPerSecond)} words/s)"));
        using KeyedVectors vectors = result.Model.ToKeyedVectors();
        output.WriteLine();
        ShowNeighbours(vectors, output);
        output.WriteLine("Words the sample never uses get vectors from their character n-grams:");
        foreach (string word in UnseenWords)
            SimilarCommand.Write(word, vectors.Nearest(result.Model.WordVector(word), 5), output);
        output.WriteLine();
        ShowAnalogies(vectors, output);
        if (savePath != null)
        {
            string modelPath = Path.ChangeExtension(savePath, ".bin");
            FastTextBinaryFile.Save(result.Model, modelPath);
            output.WriteLine($"wrote {modelPath} (fastText .bin: vectors for unseen words too)");
        }
        return ExitCodes.Success;
    }

    private static int RunWord2Vec(int epochs, int threads, string? savePath, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        string corpus = SampleFiles.Path(SampleFiles.Corpus);
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
        ShowNeighbours(vectors, output);
        ShowAnalogies(vectors, output);
        if (savePath != null)
        {
            VectorFile.Save(vectors, savePath, VectorFile.FormatFromExtension(savePath));
            output.WriteLine($"wrote {savePath}");
        }
        return ExitCodes.Success;
    }

    private static void ShowNeighbours(KeyedVectors vectors, TextWriter output)
    {
        foreach (string word in ShowcaseWords)
            if (vectors.IndexOf(word) >= 0)
                SimilarCommand.Write(word, vectors.MostSimilar(word, 5), output);
        output.WriteLine();
    }

    private static void ShowAnalogies(KeyedVectors vectors, TextWriter output)
    {
        SimilarCommand.Write("king - man + woman", vectors.MostSimilar(["king", "woman"], ["man"], 5), output);
        output.WriteLine();
        AnalogyReport report = SampleFiles.WithQuestions(questions => AnalogyEvaluator.Evaluate(vectors, questions, restrictTo: 30000));
        EvalCommand.WriteAnalogy(report, output, perSection: false);
    }
}
