using System.CommandLine;
using System.Globalization;
using EmbedEngine.Evaluation;
using EmbedEngine.Models.Contextual;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>embed eval perplexity</c>: a GPT-like model's loss over a text in consecutive windows, per token, per word
/// (a BPE model) and in bits per character (a character model); a BERT-like model's masked-token loss and accuracy,
/// the accuracy with a 95% bootstrap interval over the masked positions (the figure <c>embed bench quality</c> reports);
/// an ELMo-like model's per-word perplexity in both directions.
/// </summary>
internal static class PerplexityCommand
{
    public static Command Create(TextWriter output)
    {
        var model = GenerateCommand.ModelOption();
        var input = new Option<FileInfo>("--input", "-i") { Description = "Text to evaluate (UTF-8).", Required = true };
        var seed = new Option<int>("--seed") { Description = "A BERT-like model: the bootstrap seed of the accuracy's interval.", DefaultValueFactory = _ => 1 };
        var resamples = new Option<int>("--bootstrap") { Description = "A BERT-like model: bootstrap resamples for the accuracy's interval.", DefaultValueFactory = _ => 1000 };
        var command = new Command("perplexity", "Perplexity of a language model on a text; a BERT-like model's masked-token loss and accuracy (95% bootstrap interval).") { model, input, seed, resamples };
        command.SetAction(parsed =>
        {
            if (parsed.GetValue(resamples) < 1) throw new ArgumentException("--bootstrap must be at least 1.");
            if (Models.Contextual.Elmo.BiLmCheckpoint.Holds(parsed.GetValue(model)!.FullName))
            {
                ElmoCommands.WritePerplexity(parsed.GetValue(model)!.FullName, parsed.GetValue(input)!.FullName, output);
                return ExitCodes.Success;
            }
            using LanguageModel loaded = ContextualCheckpoint.Load(parsed.GetValue(model)!.FullName);
            string path = parsed.GetValue(input)!.FullName;
            string text = ContextualTexts.ReadText(path);
            if (loaded.Config.Kind == ContextualModelKind.Bert)
            {
                WindowEvaluation masked = NamingTheText(() => ContextualPerplexity.MeasureMasked(loaded, text), path).Evaluation;
                // Masked positions resampled as independent items: the evaluation keeps counts, not per-window hits.
                ConfidenceInterval interval = Bootstrap.Accuracy(checked((int)masked.Correct), checked((int)masked.Predictions),
                    parsed.GetValue(resamples), parsed.GetValue(seed));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"masked tokens {masked.Predictions}: loss {masked.MeanLoss:F4} nats/token, accuracy {masked.Accuracy * 100:F2}% [{interval.Lower * 100:F2}, {interval.Upper * 100:F2}] ({masked.Correct}/{masked.Predictions})"));
                return ExitCodes.Success;
            }
            PerplexityReport report = NamingTheText(() => ContextualPerplexity.Measure(loaded, text), path);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"tokens {report.Tokens}, {report.Evaluation.Predictions} predicted: loss {report.LossPerToken:F4} nats/token, perplexity {report.TokenPerplexity:F3}"));
            if (loaded.Config.Tokenizer.Kind == TokenizerDescription.CharacterKind)
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bits per character {report.BitsPerCharacter:F4}"));
            else
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"words {report.Words}: per-word perplexity {report.WordPerplexity:F3}"));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A measurement; a text the model cannot read (a character outside its vocabulary, too short) names its file.</summary>
    private static T NamingTheText<T>(Func<T> measure, string path)
    {
        try
        {
            return measure();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{path}: {e.Message}", e);
        }
    }
}
