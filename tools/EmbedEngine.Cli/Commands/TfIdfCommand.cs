using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EmbedEngine.Cli.Console;
using EmbedEngine.Kernels;
using EmbedEngine.Models.Count;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>embed tfidf fit | transform | search</c>: learn a TF-IDF model from documents, write documents' sparse
/// vectors (svmlight text or a binary index), and find the documents most similar to a query.
/// </summary>
internal static class TfIdfCommand
{
    /// <summary>The extension that makes <c>transform</c> write a binary index instead of svmlight text.</summary>
    private const string IndexExtension = ".index";

    public static Command Create(TextWriter output, TextWriter error) =>
        new("tfidf", "TF-IDF document vectors (scikit-learn's TfidfVectorizer semantics) and cosine document search.")
        {
            FitCommand(output, error),
            TransformCommand(output, error),
            SearchCommand(output),
        };

    private static Option<string[]> InputOption() => new("--input", "-i")
    {
        Description = "One file: a document per line. Several files or a directory: a document per file. UTF-8, plain or .gz.",
        Required = true,
        AllowMultipleArgumentsPerToken = true,
    };

    private static Option<bool> PerFileOption() => new("--per-file") { Description = "Take even a single input file as one document." };

    private static Option<FileInfo> ModelOption() => new("--model", "-m") { Description = "A model written by 'embed tfidf fit'.", Required = true };

    private static Command FitCommand(TextWriter output, TextWriter error)
    {
        var inputs = InputOption();
        var perFile = PerFileOption();
        var model = new Option<FileInfo>("--output", "-o") { Description = "Where to write the model.", Required = true };
        var index = new Option<FileInfo?>("--index") { Description = "Where to write the fitted documents' vectors for search (default <output>.index)." };
        var arguments = new TfIdfFitArguments();
        var command = new Command("fit", "Learn the vocabulary and idf from documents; also index them for search.") { inputs, perFile, model, index };
        arguments.AddTo(command);
        command.SetAction(parsed =>
        {
            TfIdfOptions options = arguments.Read(parsed);
            string target = parsed.GetValue(model)!.FullName;
            string indexPath = parsed.GetValue(index)?.FullName ?? target + IndexExtension;
            var clock = Stopwatch.StartNew();
            DocumentInput input = ReadDocuments(parsed.GetValue(inputs)!, parsed.GetValue(perFile), error, "fitting");
            TfIdfFit fit = TfIdfFitter.Fit(input.Documents, options, input.Source);
            fit.Model.Save(target);
            TfIdfIndexFile.Save(indexPath, fit.Model, new IndexedDocuments(fit.Documents, input.Names));
            string features = fit.Model.Vocabulary is null ? $"{fit.Model.Features} hashed features" : $"vocabulary of {fit.Model.Features} terms";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{fit.Documents.Rows} documents, {features}, {fit.Documents.NonZeros} nonzeros in {clock.Elapsed.TotalSeconds:F1} s; wrote {target} and {indexPath}"));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command TransformCommand(TextWriter output, TextWriter error)
    {
        var modelPath = ModelOption();
        var inputs = InputOption();
        var perFile = PerFileOption();
        var target = new Option<FileInfo>("--output", "-o") { Description = $"svmlight text (label 0, 1-based index:value), or a search index if it ends in {IndexExtension}.", Required = true };
        var command = new Command("transform", "Write the TF-IDF vectors of documents, one row per document.") { modelPath, inputs, perFile, target };
        command.SetAction(parsed =>
        {
            TfIdfModel model = TfIdfModel.Load(parsed.GetValue(modelPath)!.FullName);
            DocumentInput input = ReadDocuments(parsed.GetValue(inputs)!, parsed.GetValue(perFile), error, "transforming");
            CsrMatrix vectors = model.Transform(input.Documents);
            string path = parsed.GetValue(target)!.FullName;
            if (path.EndsWith(IndexExtension, StringComparison.OrdinalIgnoreCase)) TfIdfIndexFile.Save(path, model, new IndexedDocuments(vectors, input.Names));
            else SvmLightWriter.Save(path, vectors);
            output.WriteLine($"wrote {vectors.Rows} vectors ({vectors.NonZeros} nonzeros of {model.Features} features) to {path}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command SearchCommand(TextWriter output)
    {
        var modelPath = ModelOption();
        var indexPath = new Option<FileInfo?>("--index") { Description = "Document vectors to search (default <model>.index, written by fit)." };
        var queries = new Option<string[]>("--query", "-q") { Description = "A query text; repeat for more." };
        var queryFile = new Option<FileInfo?>("--queries") { Description = "A file of queries, one per line." };
        var top = new Option<int>("--top", "-n") { Description = "How many documents per query.", DefaultValueFactory = _ => 10 };
        var command = new Command("search", "The documents most similar to each query by cosine; prints the score and the document's file, or its row (from 0; blank lines are not documents).")
        {
            modelPath, indexPath, queries, queryFile, top,
        };
        command.SetAction(parsed =>
        {
            int count = parsed.GetValue(top);
            if (count < 1) throw new ArgumentException($"--top must be at least 1, not {count}");
            string[] texts = parsed.GetValue(queries) ?? [];
            string? file = parsed.GetValue(queryFile)?.FullName;
            if (texts.Length == 0 && file is null) throw new ArgumentException("give --query text or a --queries file");
            string modelFile = parsed.GetValue(modelPath)!.FullName;
            TfIdfModel model = TfIdfModel.Load(modelFile);
            IndexedDocuments indexed = TfIdfIndexFile.Load(parsed.GetValue(indexPath)?.FullName ?? modelFile + IndexExtension, model);
            var index = new TfIdfSearchIndex(indexed.Vectors);
            IEnumerable<IReadOnlyList<string>> all = TfIdfDocuments.Texts(texts);
            if (file is not null) all = all.Concat(TfIdfDocuments.Lines(file));
            foreach (IReadOnlyList<string> query in all)
            {
                output.WriteLine($"{string.Join(' ', query)}:");
                foreach (SearchHit hit in index.Search(model.Transform(query), count))
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {hit.Score,7:F4}  {indexed.Describe(hit.Document)}"));
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The documents of <paramref name="inputs"/>, read lazily with a progress bar.</summary>
    private static DocumentInput ReadDocuments(string[] inputs, bool perFile, TextWriter error, string phase)
    {
        IReadOnlyList<string> files = TfIdfDocuments.ExpandFiles(inputs);
        bool oneFile = inputs.Length == 1 && File.Exists(inputs[0]);
        long bytes = files.Sum(f => new FileInfo(f).Length);
        IProgress<long> progress = ProgressReporter.ForStandardError(error).ForScan(phase, bytes);
        string source = oneFile ? $"'{files[0]}'" : $"the {files.Count} files of {string.Join(", ", inputs.Select(i => $"'{i}'"))}";
        return oneFile && !perFile
            ? new DocumentInput(TfIdfDocuments.Lines(files[0], progress), source, null)
            : new DocumentInput(TfIdfDocuments.Files(files, progress), source, files);
    }

    /// <summary>Documents to read, a name for them in messages, and each one's file when a document is a file.</summary>
    private sealed record DocumentInput(IEnumerable<IReadOnlyList<string>> Documents, string Source, IReadOnlyList<string>? Names);
}
