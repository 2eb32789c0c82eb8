using System.CommandLine;
using System.Globalization;
using EmbedEngine.Cli.Console;
using EmbedEngine.Distributed;
using EmbedEngine.Evaluation.Sentence;
using EmbedEngine.Kernels;
using EmbedEngine.Models.Contextual;
using EmbedEngine.Models.Sentence.SimCse;
using EmbedEngine.Models.Training;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>embed train simcse</c>: fine-tunes a BERT-like checkpoint into a sentence encoder with SimCSE's contrastive
/// objective: unsupervised on a text file (each sentence against itself under other dropout), or supervised on SICK's
/// entailment pairs or a file of pairs. The result is a checkpoint folder that <c>embed encode -m</c> reads.
/// </summary>
internal static class SimCseCommand
{
    private static readonly SimCseOptions Defaults = new();

    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = new Option<DirectoryInfo>("--model", "-m") { Description = "The BERT-like checkpoint to start from (embed train bert).", Required = true };
        var input = new Option<FileInfo?>("--input", "-i") { Description = "Unsupervised: text (UTF-8), a sentence or paragraph a line, cut into runs of --max-words." };
        var sick = new Option<FileInfo?>("--sick") { Description = "Supervised: a SICK file; its entailment pairs are positives, its contradictions hard negatives." };
        var pairs = new Option<FileInfo?>("--pairs") { Description = "Supervised: lines 'anchor<TAB>positive[<TAB>hard negative]'." };
        var target = new Option<DirectoryInfo>("--output", "-o") { Description = "The checkpoint folder to write.", Required = true };
        var steps = new Option<int>("--steps") { Description = "Optimizer steps.", DefaultValueFactory = _ => Defaults.Steps };
        var batch = new Option<int>("--batch") { Description = "Examples per step (the contrastive loss's N).", DefaultValueFactory = _ => Defaults.BatchSize };
        var lr = new Option<float>("--lr") { Description = "AdamW's peak learning rate.", DefaultValueFactory = _ => Defaults.LearningRate };
        var warmup = new Option<int>("--warmup") { Description = "Steps of linear warm-up before the cosine decay.", DefaultValueFactory = _ => Defaults.WarmupSteps };
        var temperature = new Option<float>("--temperature") { Description = "τ: cosines are divided by it.", DefaultValueFactory = _ => Defaults.Temperature };
        var dropout = new Option<float>("--dropout") { Description = "Dropout while fine-tuning (the only augmentation of unsupervised SimCSE).", DefaultValueFactory = _ => Defaults.Dropout };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Sentences are cut to this many tokens ([CLS] included).", DefaultValueFactory = _ => Defaults.MaxTokens };
        var maxWords = new Option<int>("--max-words") { Description = "With --input: a line is cut into runs of at most this many words.", DefaultValueFactory = _ => 24 };
        var positive = new Option<string>("--positive")
        {
            Description = "With --input: 'same' (SimCSE: the run itself under other dropout) or 'next' (the next run of the same line).",
            DefaultValueFactory = _ => "same",
        };
        positive.AcceptOnlyFromAmong("same", "next");
        var device = TrainingOptions.Device();
        var threads = TrainingOptions.Threads();
        var seed = TrainingOptions.Seed((ulong)Defaults.Seed, "Random seed; a run repeats exactly with the same seed and threads.");
        var metrics = TrainingOptions.Metrics();
        var checkpoints = new CheckpointArguments();
        var distributed = new DistributedArguments("One rank of a data-parallel run started by mpirun -np N: every rank draws the same batch and encodes its share of the examples, the ranks gather the sentence vectors for the whole batch's loss and sum the gradients; rank 0 prints and writes.");
        var command = new Command("simcse", "Fine-tune a BERT-like model into a sentence encoder (SimCSE: InfoNCE over in-batch negatives).")
        {
            model, input, sick, pairs, target, steps, batch, lr, warmup, temperature, dropout, maxTokens, maxWords, positive, device, threads, seed, metrics, distributed.Distributed,
        };
        checkpoints.AddTo(command);
        command.SetAction((parsed, cancellation) =>
        {
            // Opened before any text is read: a GPU that is not there is a usage error (exit 2) naming what was found.
            TrainingOptions.OpenDevice(parsed.GetValue(device)!);
            var options = new SimCseOptions
            {
                Steps = parsed.GetValue(steps), BatchSize = parsed.GetValue(batch), LearningRate = parsed.GetValue(lr), WarmupSteps = parsed.GetValue(warmup),
                Temperature = parsed.GetValue(temperature), Dropout = parsed.GetValue(dropout), MaxTokens = parsed.GetValue(maxTokens),
                Threads = parsed.GetValue(threads), Device = parsed.GetValue(device)!, Seed = (int)(parsed.GetValue(seed) % int.MaxValue),
            };
            options.Validate();
            IReadOnlyList<SimCseExample> examples = ReadExamples(parsed.GetValue(input), parsed.GetValue(sick), parsed.GetValue(pairs), parsed.GetValue(maxWords),
                parsed.GetValue(positive) == "next");
            CheckpointSettings? checkpoint = checkpoints.Read(parsed);
            return Task.FromResult(DistributedArguments.Run(parsed.GetValue(distributed.Distributed), output, error, (world, rankOutput, rankError) =>
            {
                bool lead = world is null or { Rank: 0 };
                return Train(parsed.GetValue(model)!.FullName, examples, options, lead ? parsed.GetValue(target)!.FullName : null,
                    lead ? parsed.GetValue(metrics)?.FullName : null, DistributedArguments.CheckpointsOfRank(checkpoint, lead), world, rankOutput, rankError, cancellation);
            }));
        });
        return command;
    }

    private static int Train(string source, IReadOnlyList<SimCseExample> examples, SimCseOptions options, string? path, string? metricsPath,
        CheckpointSettings? checkpoint, MpiWorld? world, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        using LanguageModel loaded = ContextualCheckpoint.Load(source, options.Dropout);
        if (loaded is not TransformerLanguageModel { Config.Kind: ContextualModelKind.Bert } bert)
            throw new ArgumentException($"{source} holds a {ContextualCheckpoint.KindName(loaded.Config.Kind)} model; SimCSE fine-tunes a BERT-like one.");
        // Every rank loads the same checkpoint; the ranks check that they agree.
        DataParallelStep? ranks = world == null ? null : new DataParallelStep(world, SimCseTrainer.Identity(bert, examples, options), options.BatchSize, options.Device);
        int negatives = examples.Count(e => e.HardNegative != null);
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SimCSE on {ContextualCheckpoint.Describe(bert.Config)}: {examples.Count} examples ({negatives} with a hard negative); batch {options.BatchSize}, {options.Steps} steps, lr {options.LearningRate}, τ {options.Temperature}, dropout {options.Dropout}, device {options.Device}, kernels {IsaDispatch.Active}"));
        TrainingProgress final = ProgressReporter.ForStandardError(error, unit: "pairs", step: "epoch").Follow(metricsPath, report =>
            SimCseTrainer.Train(bert, examples, options, report, ProgressReporter.Interval, cancellation, checkpoint, ranks));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"trained {final.WordsProcessed} pairs in {final.Elapsed.TotalSeconds:F1} s ({ProgressReporter.FormatRate(final.WordsPerSecond)} pairs/s), last loss {final.Loss:F4}"));
        if (ranks != null) DistributedArguments.Summarize(ranks, final.Elapsed, output);
        if (path == null) return ExitCodes.Success;
        ContextualCheckpoint.Save(bert, path);
        output.WriteLine($"wrote the model to {path}");
        return ExitCodes.Success;
    }

    /// <summary>The examples of whichever one of the three sources was given.</summary>
    private static IReadOnlyList<SimCseExample> ReadExamples(FileInfo? input, FileInfo? sick, FileInfo? pairs, int maxWords, bool neighbours)
    {
        int given = (input != null ? 1 : 0) + (sick != null ? 1 : 0) + (pairs != null ? 1 : 0);
        if (given != 1) throw new ArgumentException("Give exactly one of --input (unsupervised), --sick or --pairs (supervised).");
        if (input != null)
        {
            string[] lines = SentenceLines.Read(input.FullName);
            return neighbours ? SimCseExample.Neighbours(lines, maxWords) : SimCseExample.Unsupervised(lines, maxWords);
        }
        if (sick != null) return SickEntailment.Examples(sick.FullName);
        return ReadPairs(pairs!.FullName);
    }

    /// <summary>Lines 'anchor TAB positive [TAB hard negative]'; blank lines are skipped.</summary>
    private static SimCseExample[] ReadPairs(string path)
    {
        string[] lines = SentenceLines.Read(path);
        var examples = new List<SimCseExample>(lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            string[] columns = lines[i].Split('\t');
            if (columns.Length is < 2 or > 3 || columns.Any(c => c.Trim().Length == 0))
                throw new InvalidDataException($"{path}:{i + 1}: expected 'anchor<TAB>positive[<TAB>hard negative]', each non-empty; found {columns.Length} columns.");
            examples.Add(new SimCseExample(columns[0], columns[1], columns.Length == 3 ? columns[2] : null));
        }
        return examples.Count > 0 ? [.. examples] : throw new InvalidDataException($"{path} has no pairs.");
    }
}
