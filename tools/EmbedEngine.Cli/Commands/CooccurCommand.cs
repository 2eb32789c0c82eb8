using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EmbedEngine.Cli.Console;
using EmbedEngine.Models.Count;
using EmbedEngine.Text;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>embed cooccur</c>: the vocabulary and the windowed co-occurrence matrix of a corpus, as GloVe's vocab_count
/// and cooccur produce them, for the count models to learn from.
/// </summary>
internal static class CooccurCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var defaults = new CooccurrenceOptions();
        var input = new Option<FileInfo>("--input", "-i") { Description = "Corpus: UTF-8 text, plain or .gz, one sentence per line.", Required = true };
        var matrix = new Option<FileInfo>("--output", "-o") { Description = "Where to write the matrix; the vocabulary goes beside it as <output>.vocab.", Required = true };
        var window = new Option<int>("--window") { Description = "Context words before each word.", DefaultValueFactory = _ => defaults.Window };
        var symmetric = new Option<int>("--symmetric") { Description = "1: count pairs both ways; 0: only (word, earlier word).", DefaultValueFactory = _ => 1 };
        var flat = new Option<bool>("--no-distance-weighting") { Description = "Count every pair in the window as 1 instead of 1/distance." };
        var minCount = new Option<int>("--min-count") { Description = "Discard words seen fewer times.", DefaultValueFactory = _ => 5 };
        var maxVocabulary = new Option<int>("--max-vocab") { Description = "Keep at most this many words (0: all).", DefaultValueFactory = _ => 0 };
        var threads = TrainingOptions.Threads();
        var memory = new Option<string>("--memory") { Description = "Memory budget for counting, e.g. 512M or 4G (a bare number is MiB); past it, sorted runs spill to disk.", DefaultValueFactory = _ => "4G" };
        var temporary = new Option<DirectoryInfo?>("--temp-dir") { Description = "Where spilled runs go (default: the system's temporary folder)." };
        var distributed = new DistributedArguments("One rank of a job started by mpirun -np N: each rank counts its part of the corpus and sums one range of rows from every rank's counts; rank 0 writes the matrix, the same as one process's.");
        var command = new Command("cooccur", "Count windowed word co-occurrences into a sparse matrix.")
        {
            input, matrix, window, symmetric, flat, minCount, maxVocabulary, threads, memory, temporary, distributed.Distributed,
        };
        command.SetAction((parsed, cancellation) =>
        {
            var options = new CooccurrenceOptions
            {
                Window = parsed.GetValue(window),
                Symmetric = parsed.GetValue(symmetric) != 0,
                DistanceWeighting = !parsed.GetValue(flat),
                Threads = parsed.GetValue(threads),
                MemoryBytes = ByteSize.Parse(parsed.GetValue(memory)!),
                TemporaryFolder = parsed.GetValue(temporary)?.FullName,
            };
            options.Validate();
            string corpus = parsed.GetValue(input)!.FullName;
            string target = parsed.GetValue(matrix)!.FullName;
            return Task.FromResult(DistributedArguments.Run(parsed.GetValue(distributed.Distributed), output, error, (world, rankOutput, rankError) =>
            {
                var clock = Stopwatch.StartNew();
                var progress = ProgressReporter.ForStandardError(rankError);
                long corpusBytes = File.Exists(corpus) ? new FileInfo(corpus).Length : 0;
                Vocabulary vocabulary = Vocabulary.Build(corpus, parsed.GetValue(minCount), parsed.GetValue(maxVocabulary),
                    progress.ForScan("building vocabulary", corpusBytes));
                if (world != null)
                {
                    long nonZeros = DistributedCooccurrence.CountToFile(world, corpus, vocabulary, options, target, cancellation);
                    if (world.Rank == 0) VocabularyFile.Save(vocabulary, target + ".vocab");
                    rankOutput.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"vocabulary {vocabulary.Count} words; {nonZeros} nonzero pairs counted by {world.Size} ranks in {clock.Elapsed.TotalSeconds:F1} s; wrote {target} and {target}.vocab"));
                    return ExitCodes.Success;
                }
                CooccurrenceStatistics counted = CooccurrenceCounter.CountToFile(corpus, vocabulary, options, target,
                    progress.ForScan("counting pairs", corpusBytes), cancellation);
                VocabularyFile.Save(vocabulary, target + ".vocab");
                rankOutput.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"vocabulary {vocabulary.Count} words; {counted.NonZeros} nonzero pairs in {clock.Elapsed.TotalSeconds:F1} s; counting tables peaked at {ByteSize.Format(counted.PeakTableBytes)} of a {ByteSize.Format(options.MemoryBytes)} budget, {counted.SpilledRuns} runs spilled; wrote {target} and {target}.vocab"));
                return ExitCodes.Success;
            }));
        });
        return command;
    }
}
