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
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fastText {options.Architecture}, {options.Loss}, dim {options.Dimension}, ws {options.Window}, neg {options.Negative}, n-grams {options.MinN}-{options.MaxN} in {options.Buckets} buckets, {options.Threads} threads, kernels {IsaDispatch.Active}, device {device?.ToString() ?? "cpu"}"));
        var progress = ProgressReporter.ForStandardError(error);
        long corpusBytes = File.Exists(corpus) ? new FileInfo(corpus).Length : 0;
        Vocabulary vocabulary = Vocabulary.Build(corpus, options.MinCount, bytesRead: progress.ForScan("building vocabulary", corpusBytes));
        using FastTextResult result = progress.Follow(parsed.GetValue(arguments.Metrics)?.FullName, report =>
            FastTextTrainer.Train(corpus, vocabulary, options, device, report, ProgressReporter.Interval, arguments.Checkpoints.Read(parsed), cancellation));
        string modelPath = Path.ChangeExtension(target, ".bin");
        // The two files are independent: averaging and formatting the vectors overlaps writing and flushing the model.
        Task<int> vectorFile = Task.Run(() =>
        {
            using KeyedVectors vectors = result.Model.ToKeyedVectors();
            VectorFile.Save(vectors, target, VectorFormat.FastTextVec);
            return vectors.Count;
        }, cancellation);
        int written;
        try
        {
            FastTextBinaryFile.Save(result.Model, modelPath);
        }
        finally
        {
            written = vectorFile.GetAwaiter().GetResult();
        }
        TrainingProgress final = result.Final;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"vocabulary {vocabulary.Count} words, {final.WordsProcessed} words trained in {final.Elapsed.TotalSeconds:F1} s ({ProgressReporter.FormatRate(final.WordsPerSecond)} words/s)"));
        output.WriteLine($"wrote {written} vectors of dimension {result.Model.Dimension} to {target} (vec) and the model to {modelPath} (fastText .bin)");
        return ExitCodes.Success;
    }
}
