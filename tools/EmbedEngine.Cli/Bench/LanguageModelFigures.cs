using EmbedEngine.Evaluation;
using EmbedEngine.Models.Contextual;
using EmbedEngine.Models.Contextual.Elmo;

namespace EmbedEngine.Cli.Bench;

/// <summary>
/// A language model's figures on the held-out text, as <c>embed eval perplexity</c> measures them, per task
/// (<see cref="BenchTask.Key"/>): perplexity per token and per word (bits per character for a character model) for a
/// causal model, per word in each direction for a biLM; for a BERT-like model the masked-token loss, and its
/// masked-token accuracy in a table of its own, as that one has an interval. The losses have none: the windows'
/// losses are not kept to resample.
/// </summary>
internal static class LanguageModelFigures
{
    /// <summary>The masked-token accuracy's row name.</summary>
    public const string MaskedAccuracy = "masked-token accuracy";

    /// <exception cref="ArgumentException">The text has a character outside the model's vocabulary, or is too short.</exception>
    public static IReadOnlyDictionary<string, IReadOnlyList<BenchFigure>> Measure(LanguageModel model, string text, QualitySettings settings)
    {
        if (model.Config.Kind == ContextualModelKind.Bert)
        {
            PerplexityReport masked = ContextualPerplexity.MeasureMasked(model, text);
            WindowEvaluation evaluation = masked.Evaluation;
            int predicted = checked((int)evaluation.Predictions);
            // Every masked position is scored; the coverage is the masked-token loss's: masked positions of the text's tokens.
            BenchFigure accuracy = BenchFigures.Accuracy(MaskedAccuracy, checked((int)evaluation.Correct), predicted, checked((int)masked.Tokens), settings);
            return new Dictionary<string, IReadOnlyList<BenchFigure>>
            {
                [BenchTasks.LanguageModel.Key] = [Figure("masked-token loss (nats)", masked.LossPerToken, predicted, masked.Tokens)],
                [BenchTasks.MaskedAccuracy.Key] = [accuracy],
            };
        }
        PerplexityReport report = ContextualPerplexity.Measure(model, text);
        BenchFigure perToken = Figure("token perplexity", report.TokenPerplexity, report.Evaluation.Predictions, report.Tokens);
        // The text's whole loss spread over its characters or words: every one of them counts.
        return Only(model.Config.Tokenizer.Kind == TokenizerDescription.CharacterKind
            ? [perToken, Figure("bits per character", report.BitsPerCharacter, report.Characters, report.Characters)]
            : [perToken, Figure("word perplexity", report.WordPerplexity, report.Words, report.Words)]);
    }

    /// <exception cref="ArgumentException">The text has fewer than two words.</exception>
    public static IReadOnlyDictionary<string, IReadOnlyList<BenchFigure>> Measure(BidirectionalLanguageModel model, string text)
    {
        List<string> words = WordText.Words(text);
        BiLmEvaluation result = BiLmEvaluation.Measure(model, words);
        return Only(
        [
            Figure("forward word perplexity", result.ForwardPerplexity, result.Predictions, words.Count),
            Figure("backward word perplexity", result.BackwardPerplexity, result.Predictions, words.Count),
        ]);
    }

    /// <summary>Figures of the language-model table alone.</summary>
    private static Dictionary<string, IReadOnlyList<BenchFigure>> Only(IReadOnlyList<BenchFigure> figures) =>
        new() { [BenchTasks.LanguageModel.Key] = figures };

    private static BenchFigure Figure(string name, double value, long predicted, long total) =>
        new(name, value, ConfidenceInterval.Undefined, checked((int)predicted), checked((int)total));
}
