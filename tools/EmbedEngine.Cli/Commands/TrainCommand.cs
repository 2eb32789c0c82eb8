using System.CommandLine;
using System.Globalization;
using EmbedEngine.Cli.Console;
using EmbedEngine.Kernels;
using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Models.Contextual;
using EmbedEngine.Models.Training;
using EmbedEngine.Models.Word2Vec;
using EmbedEngine.Text;
using EmbedEngine.Vectors;

namespace EmbedEngine.Cli.Commands;

/// <summary><c>embed train word2vec</c>, and the other trainers' commands (<see cref="GloVeCommand"/>, <see cref="ClassifierCommand"/>, …).</summary>
internal static class TrainCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var arguments = new Word2VecArguments();
        var word2vec = new Command("word2vec", "Train word2vec (skip-gram or CBOW; negative sampling and/or hierarchical softmax).");
        arguments.AddTo(word2vec);
        word2vec.SetAction((parsed, cancellation) => Task.FromResult(Run(parsed, arguments, output, error, cancellation)));
        return new Command("train", "Train a model.")
        {
            word2vec, GloVeCommand.Create(output, error), PpmiSvdCommand.Create(output, error), FastTextCommand.Create(output, error),
            ClassifierCommand.Create(output, error), MlpCommand.Create(output, error), BpeTrainCommand.Create(output, error),
            ContextualTrainCommand.Create(ContextualModelKind.Gpt, output, error), ContextualTrainCommand.Create(ContextualModelKind.Bert, output, error),
            ContextualTrainCommand.CreateCharacterModel(output, error), ElmoCommands.CreateTrain(output, error), Doc2VecCommand.Create(output, error), SimCseCommand.Create(output, error),
            ClipTrainCommand.Create(output, error),
        };
    }

    private static int Run(ParseResult parsed, Word2VecArguments arguments, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        Word2VecOptions options = arguments.Read(parsed);
        using GpuDevice? device = TrainingOptions.OpenDevice(parsed.GetValue(arguments.Device)!);
        string corpus = parsed.GetValue(arguments.Train)!.FullName;
        string target = parsed.GetValue(arguments.Output)!.FullName;
        VectorFormat format = OutputFormats.Resolve(arguments.FormatName(parsed), target);
        FileInfo? metricsFile = parsed.GetValue(arguments.Metrics);
        CheckpointSettings? checkpoint = arguments.Checkpoints.Read(parsed);
        long syncWords = parsed.GetValue(arguments.SyncWords);
        return DistributedArguments.Run(parsed.GetValue(arguments.Distributed.Distributed), output, error, (world, rankOutput, rankError) =>
        {
            using RowDeltaSync? ranks = world == null ? null : new RowDeltaSync(world, syncWords);
            rankError.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"word2vec {options.Architecture}, dim {options.Dimension}, window {options.Window}, negative {options.Negative}, hs {(options.HierarchicalSoftmax ? 1 : 0)}, {options.Threads} threads{(ranks == null ? "" : $" on each of {ranks.Size} ranks")}, kernels {IsaDispatch.Active}, device {device?.ToString() ?? "cpu"}"));
            Word2VecResult result = Train(corpus, options, world is null or { Rank: 0 } ? metricsFile?.FullName : null, rankError, cancellation, device, checkpoint, ranks);
            using (result.Vectors)
            {
                if (world is null or { Rank: 0 }) VectorFile.Save(result.Vectors, target, format);
                Summarize(result, rankOutput);
                if (ranks != null) DistributedArguments.Summarize(ranks, result.Final.Elapsed, rankOutput);
                rankOutput.WriteLine($"wrote {result.Vectors.Count} vectors of dimension {result.Vectors.Dimension} to {target} ({format})");
            }
            return ExitCodes.Success;
        });
    }

    /// <summary>
    /// Trains on <paramref name="device"/> (null: the CPU) with a progress display on <paramref name="error"/> and
    /// optional JSON-lines metrics, checkpoints when <paramref name="checkpoint"/> asks for them, as one rank of a job
    /// when <paramref name="ranks"/> is given.
    /// </summary>
    public static Word2VecResult Train(string corpus, Word2VecOptions options, string? metricsPath, TextWriter error,
        CancellationToken cancellation, GpuDevice? device = null, CheckpointSettings? checkpoint = null, RowDeltaSync? ranks = null)
    {
        options.Validate();
        var progress = ProgressReporter.ForStandardError(error);
        long corpusBytes = File.Exists(corpus) ? new FileInfo(corpus).Length : 0;
        Vocabulary vocabulary = Vocabulary.Build(corpus, options.MinCount, options.MaxVocabularySize,
            progress.ForScan("building vocabulary", corpusBytes));
        return progress.Follow(metricsPath, report =>
            Word2VecTrainer.Train(corpus, vocabulary, options, device, report, ProgressReporter.Interval, checkpoint, ranks, cancellation));
    }

    /// <summary>One line with the size and speed of the finished run.</summary>
    public static void Summarize(Word2VecResult result, TextWriter output)
    {
        TrainingProgress final = result.Final;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"vocabulary {result.Vocabulary.Count} words, {final.WordsProcessed} words trained in {final.Elapsed.TotalSeconds:F1} s ({ProgressReporter.FormatRate(final.WordsPerSecond)} words/s)"));
        if (result.Vocabulary.InvalidSequences > 0)
            output.WriteLine($"note: {result.Vocabulary.InvalidSequences} invalid UTF-8 sequences were replaced by U+FFFD");
    }
}
