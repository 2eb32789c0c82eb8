using System.CommandLine;
using System.Globalization;
using EmbedEngine.Cli.Console;
using EmbedEngine.Models.Sentence;

namespace EmbedEngine.Cli.Commands;

/// <summary><c>embed train doc2vec</c>: PV-DBOW or PV-DM paragraph vectors, one document per line, with gensim's parameter names and defaults.</summary>
internal static class Doc2VecCommand
{
    private static readonly Doc2VecOptions Defaults = new();

    public static Command Create(TextWriter output, TextWriter error)
    {
        var input = new Option<FileInfo>("--input", "-i") { Description = "Documents (UTF-8), one a line; words spelled as the comparison corpus (lowercase letters, digits, apostrophes).", Required = true };
        var target = new Option<FileInfo>("--output", "-o") { Description = "Where to write the model (safetensors).", Required = true };
        var size = new Option<int>("--vector-size") { Description = "vector_size.", DefaultValueFactory = _ => Defaults.Dimension };
        var negative = new Option<int>("--negative") { Description = "negative.", DefaultValueFactory = _ => Defaults.Negative };
        var epochs = new Option<int>("--epochs") { Description = "epochs.", DefaultValueFactory = _ => Defaults.Epochs };
        var minCount = new Option<int>("--min-count") { Description = "min_count.", DefaultValueFactory = _ => Defaults.MinCount };
        var sample = new Option<double>("--sample") { Description = "sample.", DefaultValueFactory = _ => Defaults.Sample };
        var alpha = new Option<float>("--alpha") { Description = "alpha.", DefaultValueFactory = _ => Defaults.LearningRate };
        var minAlpha = new Option<float>("--min-alpha") { Description = "min_alpha.", DefaultValueFactory = _ => Defaults.MinLearningRate };
        var dm = new Option<int>("--dm") { Description = "dm: 1 for PV-DM (the mean of the document and its context words predicts each word), 0 for PV-DBOW (this engine's default; gensim's is 1).", DefaultValueFactory = _ => 0 };
        dm.AcceptOnlyFromAmong("0", "1");
        var dbowWords = new Option<bool>("--dbow-words") { Description = "dbow_words: also train word vectors by skip-gram, interleaved." };
        var window = new Option<int>("--window") { Description = "window: the context radius (PV-DM, or --dbow-words).", DefaultValueFactory = _ => Defaults.Window };
        var workers = new Option<int>("--workers") { Description = "workers: training threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var seed = TrainingOptions.Seed(Defaults.Seed, "seed; with --workers 1 the run is deterministic.");
        var command = new Command("doc2vec", "Train paragraph vectors (Doc2Vec: PV-DBOW, or PV-DM with --dm 1), gensim's names and defaults.")
        {
            input, target, size, negative, epochs, minCount, sample, alpha, minAlpha, dm, dbowWords, window, workers, seed,
        };
        command.SetAction((parsed, cancellation) =>
        {
            var options = new Doc2VecOptions
            {
                Dimension = parsed.GetValue(size), Negative = parsed.GetValue(negative), Epochs = parsed.GetValue(epochs), MinCount = parsed.GetValue(minCount),
                Sample = parsed.GetValue(sample), LearningRate = parsed.GetValue(alpha), MinLearningRate = parsed.GetValue(minAlpha),
                DistributedMemory = parsed.GetValue(dm) == 1,
                TrainWords = parsed.GetValue(dbowWords), Window = parsed.GetValue(window), Threads = parsed.GetValue(workers), Seed = parsed.GetValue(seed),
            };
            options.Validate();
            string inputPath = parsed.GetValue(input)!.FullName;
            List<string[]> documents = [.. ContextualTexts.ReadText(inputPath).Split('\n').Select(line => CorpusWords.Of(line).ToArray()).Where(d => d.Length > 0)];
            if (documents.Count == 0) throw new ArgumentException($"{inputPath} has no words.");
            error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"doc2vec {(options.DistributedMemory ? "PV-DM" : "PV-DBOW")}{(options.TrainWords ? " + skip-gram words" : "")}, {documents.Count} documents, vector_size {options.Dimension}, negative {options.Negative}, epochs {options.Epochs}, {options.Threads} workers"));
            using Doc2VecModel model = ProgressReporter.ForStandardError(error, unit: "words", step: "epoch").Follow(null, report =>
                Doc2VecTrainer.Train(documents, options, report, cancellation));
            string path = parsed.GetValue(target)!.FullName;
            Doc2VecFile.Save(model, path);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{model.Vocabulary.Count} words, {model.DocumentVectors.Rows} document vectors of {model.Dimension}; wrote {path}"));
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
