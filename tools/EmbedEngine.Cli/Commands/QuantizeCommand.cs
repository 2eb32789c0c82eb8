using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EmbedEngine.Cli.Console;
using EmbedEngine.Kernels;
using EmbedEngine.Models.FastText.Quantization;
using EmbedEngine.Models.FastText.Supervised;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>embed quantize -output model [-input train.txt] [-cutoff N] [-retrain] [-qnorm] [-qout] [-dsub 2]</c>:
/// fastText's quantize. It reads the classifier <c>&lt;output&gt;.bin</c> and writes <c>&lt;output&gt;.ftz</c>,
/// which <c>embed test</c>, <c>embed predict</c> and fastText itself read.
/// </summary>
internal static class QuantizeCommand
{
    private static readonly QuantizationOptions Defaults = new();

    public static Command Create(TextWriter output, TextWriter error)
    {
        var target = new Option<string>("--output", "-output", "-o") { Description = "Model prefix, as fastText's -output: reads <output>.bin, writes <output>.ftz.", Required = true };
        var input = new Option<FileInfo>("--input", "-input", "-i") { Description = "The labelled training file, needed by -retrain." };
        var cutoff = new Option<int>("--cutoff", "-cutoff") { Description = "Keep only this many input rows, those with the largest norms (0 keeps all).", DefaultValueFactory = _ => Defaults.Cutoff };
        var retrain = new Option<bool>("--retrain", "-retrain") { Description = "Train the pruned model again on -input before quantizing." };
        var qnorm = new Option<bool>("--qnorm", "-qnorm") { Description = "Quantize the row norms separately." };
        var qout = new Option<bool>("--qout", "-qout") { Description = "Quantize the output layer too (it needs at least 256 labels)." };
        var dsub = new Option<int>("--dsub", "-dsub") { Description = "Floats per subspace of the input matrix.", DefaultValueFactory = _ => Defaults.SubspaceDimension };
        var epoch = new Option<int>("--epoch", "-epoch") { Description = "Retraining epochs.", DefaultValueFactory = _ => Defaults.Epochs };
        var lr = new Option<float>("--lr", "-lr") { Description = "Retraining learning rate.", DefaultValueFactory = _ => Defaults.LearningRate };
        var threads = TrainingOptions.Threads("--thread", "-thread");
        var command = new Command("quantize", "Shrink a classifier by product quantization, as fastText's quantize (.bin to .ftz).")
        {
            target, input, cutoff, retrain, qnorm, qout, dsub, epoch, lr, threads,
        };
        command.SetAction((parsed, cancellation) =>
        {
            var options = new QuantizationOptions
            {
                Cutoff = parsed.GetValue(cutoff),
                Retrain = parsed.GetValue(retrain),
                TrainingFile = parsed.GetValue(input)?.FullName,
                QuantizeNorms = parsed.GetValue(qnorm),
                QuantizeOutput = parsed.GetValue(qout),
                SubspaceDimension = parsed.GetValue(dsub),
                Epochs = parsed.GetValue(epoch),
                LearningRate = parsed.GetValue(lr),
                Threads = parsed.GetValue(threads),
            };
            options.Validate();
            return Task.FromResult(Run(parsed.GetValue(target)!, options, output, error, cancellation));
        });
        return command;
    }

    private static int Run(string prefix, QuantizationOptions options, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        string binPath = prefix + ".bin", ftzPath = prefix + ".ftz";
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"quantize {binPath}: cutoff {options.Cutoff}, retrain {options.Retrain}, dsub {options.SubspaceDimension}, qnorm {options.QuantizeNorms}, qout {options.QuantizeOutput}, kernels {IsaDispatch.Active}"));
        using ClassifierModel dense = ClassifierModel.Load(binPath);
        var clock = Stopwatch.StartNew();
        using ClassifierModel quantized = options.Retrain
            ? ProgressReporter.ForStandardError(error, unit: "tokens").Follow(null, report =>
                ClassifierQuantizer.Quantize(dense, options, report, cancellation))
            : ClassifierQuantizer.Quantize(dense, options, cancellation: cancellation);
        TimeSpan elapsed = clock.Elapsed;
        quantized.Save(ftzPath);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"quantized {quantized.Dictionary.InputRows} input rows in {elapsed.TotalSeconds:F2} s: {new FileInfo(binPath).Length} bytes -> {new FileInfo(ftzPath).Length} bytes"));
        output.WriteLine($"wrote the quantized classifier to {ftzPath}");
        return ExitCodes.Success;
    }
}
