using System.CommandLine;
using System.Globalization;
using EmbedEngine.Cli.Console;
using EmbedEngine.Kernels;
using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Models.FastText;
using EmbedEngine.Models.Training;
using EmbedEngine.Text;
using EmbedEngine.Vectors;

namespace EmbedEngine.Cli.Commands;

/// <summary><c>embed train fasttext</c>: fastText's subword skip-gram or CBOW; writes the vocabulary's vectors as .vec and the model as fastText's .bin (for unseen words).</summary>
internal static class FastTextCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var arguments = new FastTextArguments();
        var command = new Command("fasttext", "Train fastText word vectors with character n-grams (skipgram or cbow; negative sampling or hierarchical softmax).");
        arguments.AddTo(command);
        command.SetAction((parsed, cancellation) => Task.FromResult(Run(parsed, arguments, output, error, cancellation)));
        return command;
    }

    private static int Run(ParseResult parsed, FastTextArguments arguments, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        FastTextOptions options = arguments.Read(parsed);
        options.Validate();
        using GpuDevice? device = TrainingOptions.OpenDevice(parsed.GetValue(arguments.Device)!);
        string corpus = parsed.GetValue(arguments.Input)!.FullName;
        string target = arguments.VectorPath(parsed);
        CheckpointSettings? checkpoint = arguments.Checkpoints.Read(parsed);
        long syncWords = parsed.GetValue(arguments.SyncWords);
        return DistributedArguments.Run(parsed.GetValue(arguments.Distributed.Distributed), output, error, (world, rankOutput, rankError) =>
        {
            using RowDeltaSync? ranks = world == null ? null : new RowDeltaSync(world, syncWords);
            bool lead = world is null or { Rank: 0 };
            rankError.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"fastText {options.Architecture}, {options.Loss}, dim {options.Dimension}, ws {options.Window}, neg {options.Negative}, n-grams {options.MinN}-{options.MaxN} in {options.Buckets} buckets, {options.Threads} threads{(ranks == null ? "" : $" on each of {ranks.Size} ranks")}, kernels {IsaDispatch.Active}, device {device?.ToString() ?? "cpu"}"));
            var progress = ProgressReporter.ForStandardError(rankError);
            long corpusBytes = File.Exists(corpus) ? new FileInfo(corpus).Length : 0;
            Vocabulary vocabulary = Vocabulary.Build(corpus, options.MinCount, bytesRead: progress.ForScan("building vocabulary", corpusBytes));
            using FastTextResult result = progress.Follow(lead ? parsed.GetValue(arguments.Metrics)?.FullName : null, report =>
                FastTextTrainer.Train(corpus, vocabulary, options, device, report, ProgressReporter.Interval, checkpoint, ranks, cancellation));
            string modelPath = Path.ChangeExtension(target, ".bin");
            if (lead) Save(result, target, modelPath, cancellation);
            TrainingProgress final = result.Final;
            rankOutput.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"vocabulary {vocabulary.Count} words, {final.WordsProcessed} words trained in {final.Elapsed.TotalSeconds:F1} s ({ProgressReporter.FormatRate(final.WordsPerSecond)} words/s)"));
            if (ranks != null) DistributedArguments.Summarize(ranks, final.Elapsed, rankOutput);
            rankOutput.WriteLine($"wrote {vocabulary.Count} vectors of dimension {result.Model.Dimension} to {target} (vec) and the model to {modelPath} (fastText .bin)");
            return ExitCodes.Success;
        });
    }

    /// <summary>Writes the .vec file and the fastText .bin model.</summary>
    private static void Save(FastTextResult result, string vectorPath, string modelPath, CancellationToken cancellation)
    {
        // The two files are independent: averaging and formatting the vectors overlaps writing and flushing the model.
        Task vectorFile = Task.Run(() =>
        {
            using KeyedVectors vectors = result.Model.ToKeyedVectors();
            VectorFile.Save(vectors, vectorPath, VectorFormat.FastTextVec);
        }, cancellation);
        try
        {
            FastTextBinaryFile.Save(result.Model, modelPath);
        }
        finally
        {
            vectorFile.GetAwaiter().GetResult();
        }
    }
}
