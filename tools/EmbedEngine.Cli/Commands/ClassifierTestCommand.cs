using System.CommandLine;
using System.Globalization;
using EmbedEngine.Models.FastText.Supervised;

namespace EmbedEngine.Cli.Commands;

/// <summary><c>embed test model test.txt [k]</c>: precision and recall at k, printed as fastText's <c>test</c> prints them.</summary>
internal static class ClassifierTestCommand
{
    public static Command Create(TextWriter output)
    {
        var model = new Argument<FileInfo>("model") { Description = "A classifier in fastText's .bin format (from 'embed train classifier' or fastText's supervised), or a quantized .ftz (from either tool's quantize)." };
        var data = new Argument<FileInfo>("test-data") { Description = "Labelled lines to score." };
        var k = new Argument<int>("k") { Description = "Labels predicted per line.", DefaultValueFactory = _ => 1 };
        var threshold = ClassifierPredictCommand.ThresholdOption();
        var command = new Command("test", "Precision and recall at k of a classifier on labelled lines.") { model, data, k, threshold };
        command.SetAction(parsed =>
        {
            using ClassifierModel classifier = ClassifierModel.Load(parsed.GetValue(model)!.FullName);
            ClassifierScore score = ClassifierEvaluation.Test(classifier, parsed.GetValue(data)!.FullName,
                ClassifierPredictCommand.CheckK(parsed.GetValue(k)), parsed.GetValue(threshold));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"N\t{score.Examples}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"P@{score.K}\t{score.Precision:F3}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"R@{score.K}\t{score.Recall:F3}"));
            return ExitCodes.Success;
        });
        return command;
    }
}
