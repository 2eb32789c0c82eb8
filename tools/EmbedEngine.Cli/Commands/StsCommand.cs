using System.CommandLine;
using System.Globalization;
using EmbedEngine.Evaluation.Sentence;
using EmbedEngine.Models.Sentence;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>embed eval sts</c>: SemEval STS 2012–2014 and SICK relatedness by the cosine of sentence vectors (SentEval's
/// protocol), from any sentence encoder (<see cref="SentenceEncoderArguments"/>).
/// </summary>
internal static class StsCommand
{
    public static Command Create(TextWriter output)
    {
        var encoder = new SentenceEncoderArguments();
        var data = new Option<DirectoryInfo>("--data") { Description = "The STS folder (2012/, 2013/, 2014/, sick2014/).", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("..", "shared", "data", "sts")) };
        var command = new Command("sts", "Semantic textual similarity (STS12-14, SICK-R): Spearman and Pearson x100 of sentence-vector cosines.") { data };
        encoder.AddTo(command);
        command.SetAction(parsed =>
        {
            IReadOnlyList<StsFile> files = StsData.Load(parsed.GetValue(data)!.FullName);
            (ISentenceEncoder sentences, IDisposable owner) = encoder.Open(parsed);
            using (owner) Write(StsEvaluator.Evaluate(sentences, files), output);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Write(StsReport report, TextWriter output)
    {
        foreach (StsFileResult file in report.Files)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{file.Group,-7} {file.Name,-24} {file.Pairs,5} pairs  Spearman {file.Spearman,6:F2}  Pearson {file.Pearson,6:F2}"));
        foreach (StsGroupResult group in report.Groups)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{group.Group,-7} mean of {group.Files} files: Spearman {group.Spearman:F2}, Pearson {group.Pearson:F2}; weighted by {group.Pairs} pairs: Spearman {group.WeightedSpearman:F2}, Pearson {group.WeightedPearson:F2}"));
    }
}
