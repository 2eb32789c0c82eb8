using System.CommandLine;
using System.Text;
using EmbedEngine.Cli.Bench;
using EmbedEngine.Kernels.IO;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>embed bench quality</c>: every evaluation that applies to each model (word vectors, Doc2Vec, language models,
/// CLIP; <see cref="QualitySuite"/>), each figure with its coverage and a bootstrap interval, written as report.md,
/// report.html and results.json. A model that fails to load is reported as failed and the others still run.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(TextWriter output, TextWriter error) =>
        new("bench", "Benchmark suites: model quality with confidence intervals, kernel speed against the machine's peaks, end-to-end training.")
            { Quality(output, error), BenchSpeedCommand.Create(output, error), BenchTrainCommand.Create(output, error) };

    private static Command Quality(TextWriter output, TextWriter error)
    {
        var models = new Option<string[]>("--model", "-m") { Description = "A model, its kind told from the file: word vectors (any format embed reads, a fastText .bin too), a Doc2Vec model, or a model folder (ELMo-like biLM, GPT-, BERT- or LSTM language model, CLIP); repeat for more.", Required = true, Arity = ArgumentArity.OneOrMore };
        var data = new Option<DirectoryInfo>("--data") { Description = "Folder with questions-words.txt, word-sim/*.txt, spam-assassin/{train,test}.txt, sts/, wikitext-2/test.txt and mnist-10k/ (a task whose data is absent is skipped with a note).", DefaultValueFactory = _ => new DirectoryInfo("../shared/data") };
        var heldOut = new Option<FileInfo?>("--lm-text") { Description = "The language models' held-out text (default: wikitext-2/test.txt in --data)." };
        var heldOutCharacters = new Option<int>("--lm-characters") { Description = "Measure the first N characters of that text, cut at a word boundary, so the suite stays within minutes (0: all of it).", DefaultValueFactory = _ => 100_000 };
        var seed = new Option<int>("--seed") { Description = "Bootstrap seed: the same seed gives the same intervals.", DefaultValueFactory = _ => 1 };
        var resamples = new Option<int>("--bootstrap") { Description = "Bootstrap resamples per interval.", DefaultValueFactory = _ => 1000 };
        var restrict = new Option<int>("--restrict") { Description = "Analogy: consider only the most frequent N words, as 'embed eval analogy' does.", DefaultValueFactory = _ => 30000 };
        var common = new Option<bool>("--common-vocabulary") { Description = "Score only the questions and pairs every model covers, so models are compared on the same items." };
        var target = new Option<DirectoryInfo>("--output", "-o") { Description = "Folder for report.md, report.html and results.json.", Required = true };
        var command = new Command("quality", "Every evaluation that applies to each model (word analogy and similarity, STS/SICK, SpamAssassin transfer, perplexity, BERT masked-token accuracy, CLIP zero-shot/retrieval/probe), with coverage and 95% bootstrap intervals.")
            { models, data, seed, resamples, restrict, common, heldOut, heldOutCharacters, target };
        command.SetAction(parsed =>
        {
            if (parsed.GetValue(resamples) < 1) throw new ArgumentException("--bootstrap must be at least 1.");
            if (parsed.GetValue(heldOutCharacters) < 0) throw new ArgumentException("--lm-characters must be 0 (all) or more.");
            var settings = new QualitySettings(parsed.GetValue(data)!.FullName, parsed.GetValue(seed), parsed.GetValue(resamples),
                parsed.GetValue(restrict), parsed.GetValue(common), parsed.GetValue(heldOut)?.FullName, parsed.GetValue(heldOutCharacters));
            QualityResults results = QualitySuite.Run(parsed.GetValue(models)!, settings, error);
            string folder = parsed.GetValue(target)!.FullName;
            Write(folder, results);
            foreach (ModelOutcome failed in results.Models.Where(m => m.Failure is not null))
                error.WriteLine($"embed: {failed.Label} failed: {failed.Failure}");
            int scored = results.Scored.Count();
            output.WriteLine($"wrote {folder}: report.md, report.html, results.json ({scored} of {results.Models.Count} models scored)");
            return scored > 0 ? ExitCodes.Success : ExitCodes.BadInput;
        });
        return command;
    }

    private static void Write(string folder, QualityResults results)
    {
        Directory.CreateDirectory(folder);
        IReadOnlyList<BenchTable> tables = BenchTables.Build(results);
        WriteText(Path.Combine(folder, "report.md"), MarkdownReport.Render(results, tables));
        WriteText(Path.Combine(folder, "report.html"), HtmlReport.Render(results, tables, BenchCharts.Render(results)));
        AtomicFile.Write(Path.Combine(folder, "results.json"), stream => JsonResults.Write(stream, results));
    }

    private static void WriteText(string path, string text) =>
        AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(text)));
}
