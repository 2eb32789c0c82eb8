using System.CommandLine;
using System.Globalization;
using EmbedEngine.Cli.Console;
using EmbedEngine.Kernels;
using EmbedEngine.Models.FastText;
using EmbedEngine.Models.FastText.Supervised;
using EmbedEngine.Models.Training;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>embed train classifier</c>: fastText's supervised text classifier. Options keep fastText's names
/// (<c>--dim --lr --epoch --wordNgrams --minCount --bucket --minn --maxn --loss --thread</c>), and its single-dash spellings too.
/// </summary>
internal static class ClassifierCommand
{
    private static readonly ClassifierOptions Defaults = new();

    public static Command Create(TextWriter output, TextWriter error)
    {
        var input = new Option<FileInfo>("--input", "-input", "-i") { Description = "Labelled UTF-8 text: one example per line, labels as __label__ tokens.", Required = true };
        var target = new Option<FileInfo>("--output", "-output", "-o") { Description = "Output prefix, as fastText's -output: the model goes to <output>.bin, fastText's binary format.", Required = true };
        var dim = new Option<int>("--dim", "-dim") { Description = "Vector dimension.", DefaultValueFactory = _ => Defaults.Dimension };
        var lr = new Option<float>("--lr", "-lr") { Description = "Starting learning rate.", DefaultValueFactory = _ => Defaults.LearningRate };
        var epoch = new Option<int>("--epoch", "-epoch") { Description = "Passes over the file.", DefaultValueFactory = _ => Defaults.Epochs };
        var wordNgrams = new Option<int>("--wordNgrams", "-wordNgrams") { Description = "Longest word n-gram feature.", DefaultValueFactory = _ => Defaults.WordNgrams };
        var minCount = new Option<int>("--minCount", "-minCount") { Description = "Drop words seen fewer times.", DefaultValueFactory = _ => Defaults.MinCount };
        var minCountLabel = new Option<int>("--minCountLabel", "-minCountLabel") { Description = "Drop labels seen fewer times.", DefaultValueFactory = _ => Defaults.MinCountLabel };
        var bucket = new Option<int>("--bucket", "-bucket") { Description = "Word and character n-gram hash buckets (none are used when wordNgrams is 1 and maxn 0).", DefaultValueFactory = _ => Defaults.Buckets };
        var minn = new Option<int>("--minn", "-minn") { Description = "Shortest character n-gram.", DefaultValueFactory = _ => Defaults.MinN };
        var maxn = new Option<int>("--maxn", "-maxn") { Description = "Longest character n-gram (0: none, the default).", DefaultValueFactory = _ => Defaults.MaxN };
        var loss = new Option<string>("--loss", "-loss") { Description = "Output layer: softmax, hs or ova.", DefaultValueFactory = _ => "softmax" };
        loss.AcceptOnlyFromAmong("softmax", "hs", "ova");
        var label = new Option<string>("--label", "-label") { Description = "Prefix of label tokens.", DefaultValueFactory = _ => Defaults.LabelPrefix };
        var threads = TrainingOptions.Threads("--thread", "-thread");
        var seed = TrainingOptions.Seed(Defaults.Seed);
        var metrics = TrainingOptions.Metrics();
        var command = new Command("classifier", "Train fastText's text classifier (softmax, hierarchical softmax or one-vs-all).")
        {
            input, target, dim, lr, epoch, wordNgrams, minCount, minCountLabel, bucket, minn, maxn, loss, label, threads, seed, metrics,
        };
        command.SetAction((parsed, cancellation) =>
        {
            var options = new ClassifierOptions
            {
                Dimension = parsed.GetValue(dim),
                LearningRate = parsed.GetValue(lr),
                Epochs = parsed.GetValue(epoch),
                WordNgrams = parsed.GetValue(wordNgrams),
                MinCount = parsed.GetValue(minCount),
                MinCountLabel = parsed.GetValue(minCountLabel),
                Buckets = parsed.GetValue(bucket),
                MinN = parsed.GetValue(minn),
                MaxN = parsed.GetValue(maxn),
                Loss = parsed.GetValue(loss) switch
                {
                    "hs" => FastTextLoss.HierarchicalSoftmax,
                    "ova" => FastTextLoss.OneVsAll,
                    _ => FastTextLoss.Softmax,
                },
                LabelPrefix = parsed.GetValue(label)!,
                Threads = parsed.GetValue(threads),
                Seed = parsed.GetValue(seed),
            };
            options.Validate();
            return Task.FromResult(Run(parsed.GetValue(input)!.FullName, parsed.GetValue(target)!.FullName, options,
                parsed.GetValue(metrics)?.FullName, output, error, cancellation));
        });
        return command;
    }

    private static int Run(string inputPath, string modelPath, ClassifierOptions options, string? metricsPath,
        TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"classifier dim {options.Dimension}, lr {options.LearningRate}, {options.Epochs} epochs, wordNgrams {options.WordNgrams}, loss {options.Loss}, {options.Threads} threads, kernels {IsaDispatch.Active}"));
        ClassifierResult result = ProgressReporter.ForStandardError(error, unit: "tokens").Follow(metricsPath, report =>
            ClassifierTrainer.Train(inputPath, options, report, ProgressReporter.Interval, cancellation));
        using ClassifierModel model = result.Model;
        string binPath = modelPath + ".bin";
        model.Save(binPath);
        TrainingProgress final = result.Final;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{model.Dictionary.WordCount} words, {model.Dictionary.LabelCount} labels, {final.WordsProcessed} tokens trained in {final.Elapsed.TotalSeconds:F2} s ({ProgressReporter.FormatRate(final.WordsPerSecond)} tokens/s), last loss {final.Loss:F4}"));
        output.WriteLine($"wrote the classifier to {binPath}");
        return ExitCodes.Success;
    }
}
