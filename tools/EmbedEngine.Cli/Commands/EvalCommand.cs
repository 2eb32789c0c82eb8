using System.CommandLine;
using System.Globalization;
using EmbedEngine.Evaluation;
using EmbedEngine.Vectors;

namespace EmbedEngine.Cli.Commands;

/// <summary><c>embed eval analogy</c> and <c>embed eval similarity</c>; <c>perplexity</c>, <c>clip</c>, <c>sts</c> and <c>transfer</c> come from their own commands.</summary>
internal static class EvalCommand
{
    public static Command Create(TextWriter output) =>
        new("eval", "Evaluate word vectors, language models and image–text models.") { CreateAnalogy(output), CreateSimilarity(output), PerplexityCommand.Create(output), ClipEvalCommand.CreateEval(output), StsCommand.Create(output), TransferCommand.Create(output) };

    private static Command CreateAnalogy(TextWriter output)
    {
        var vectors = VectorsOption();
        var questions = new Option<FileInfo>("--questions", "-q") { Description = "Questions in the questions-words.txt format.", Required = true };
        var restrict = new Option<int>("--restrict") { Description = "Consider only the most frequent N words, like compute-accuracy.", DefaultValueFactory = _ => 30000 };
        var method = new Option<AnalogyMethod>("--method") { Description = "CosAdd (3CosAdd) or CosMul (3CosMul).", DefaultValueFactory = _ => AnalogyMethod.CosAdd };
        var command = new Command("analogy", "Word-analogy accuracy per section and overall.") { vectors, questions, restrict, method };
        command.SetAction(parsed =>
        {
            using KeyedVectors keyed = WordVectorFiles.Load(parsed.GetValue(vectors)!.FullName);
            AnalogyReport report = AnalogyEvaluator.Evaluate(keyed, parsed.GetValue(questions)!.FullName,
                parsed.GetValue(restrict), parsed.GetValue(method));
            WriteAnalogy(report, output, perSection: true);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateSimilarity(TextWriter output)
    {
        var vectors = VectorsOption();
        var files = new Argument<FileInfo[]>("pairs") { Description = "Word-similarity files: 'word1 word2 score' per line.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("similarity", "Spearman correlation with human similarity judgements.") { vectors, files };
        command.SetAction(parsed =>
        {
            using KeyedVectors keyed = WordVectorFiles.Load(parsed.GetValue(vectors)!.FullName);
            foreach (FileInfo file in parsed.GetValue(files)!)
                WriteSimilarity(SimilarityEvaluator.Evaluate(keyed, file.FullName), output);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The --vectors option shared by the commands that read a vector file.</summary>
    public static Option<FileInfo> VectorsOption() =>
        new("--vectors", "-v") { Description = "Vector file (word2vec text or binary, .vec, GloVe text, .eev) or fastText model (.bin).", Required = true };

    /// <summary>Prints an analogy report.</summary>
    public static void WriteAnalogy(AnalogyReport report, TextWriter output, bool perSection)
    {
        if (perSection)
        {
            foreach (AnalogySection section in report.Sections)
            {
                double accuracy = section.Answered == 0 ? 0 : 100.0 * section.Correct / section.Answered;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{section.Name,-30} {accuracy,6:F2}%  ({section.Correct}/{section.Answered}, {section.Skipped} skipped)"));
            }
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"analogy accuracy {100 * report.Accuracy:F2}% ({report.Correct}/{report.Answered}; semantic {100 * report.SemanticAccuracy:F2}%, syntactic {100 * report.SyntacticAccuracy:F2}%; {report.Skipped} questions skipped)"));
    }

    /// <summary>Prints one similarity result.</summary>
    public static void WriteSimilarity(SimilarityReport report, TextWriter output) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{report.Name,-24} Spearman {report.Spearman:F4}  ({report.Found}/{report.Pairs} pairs found)"));
}
