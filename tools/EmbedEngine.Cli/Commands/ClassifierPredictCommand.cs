using System.CommandLine;
using System.Globalization;
using EmbedEngine.Models.FastText.Supervised;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>embed predict model [file|-] [k]</c>: the k most probable labels of each line with their probabilities,
/// one line out per line in, as fastText's <c>predict-prob</c> prints them (an empty line when none qualifies).
/// </summary>
internal static class ClassifierPredictCommand
{
    public static Command Create(TextWriter output)
    {
        var model = new Argument<FileInfo>("model") { Description = "A classifier in fastText's .bin format (from 'embed train classifier' or fastText's supervised), or a quantized .ftz (from either tool's quantize)." };
        var data = new Argument<string>("input") { Description = "Lines to label: a file, or - for standard input.", DefaultValueFactory = _ => "-" };
        var k = new Argument<int>("k") { Description = "Labels per line.", DefaultValueFactory = _ => 1 };
        var threshold = ThresholdOption();
        var command = new Command("predict", "The most probable labels of each line, with their probabilities.") { model, data, k, threshold };
        command.SetAction(parsed =>
        {
            using ClassifierModel classifier = ClassifierModel.Load(parsed.GetValue(model)!.FullName);
            string source = parsed.GetValue(data)!;
            int top = CheckK(parsed.GetValue(k));
            float minimum = parsed.GetValue(threshold);
            // Standard input belongs to the process, so only a file is closed here.
            using StreamReader? file = source == "-" ? null : new StreamReader(source);
            TextReader lines = file ?? System.Console.In;
            while (lines.ReadLine() is { } line)
            {
                IEnumerable<string> labels = classifier.Predict(line, top, minimum)
                    .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Label} {p.Probability:G6}"));
                output.WriteLine(string.Join(' ', labels));
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>--threshold, shared with <c>embed test</c>.</summary>
    public static Option<float> ThresholdOption() =>
        new("--threshold") { Description = "Leave out labels less probable than this.", DefaultValueFactory = _ => 0f };

    /// <summary>k must be positive; the error says so before any file is read.</summary>
    public static int CheckK(int k) => k > 0 ? k : throw new ArgumentException($"k must be at least 1, not {k}");
}
