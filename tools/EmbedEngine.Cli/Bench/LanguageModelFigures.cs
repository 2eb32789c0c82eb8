using EmbedEngine.Evaluation;
using EmbedEngine.Models.Contextual;
using EmbedEngine.Models.Contextual.Elmo;

namespace EmbedEngine.Cli.Bench;

/// <summary>
/// A language model's figures on the held-out text, as <c>embed eval perplexity</c> measures them: perplexity per token
/// and per word (bits per character for a character model) for a causal model, per word in each direction for a
/// biLM, the masked-token loss for a BERT-like model. No interval: the windows' losses are not kept to resample.
/// </summary>
internal static class LanguageModelFigures
{
    /// <exception cref="ArgumentException">The text has a character outside the model's vocabulary, or is too short.</exception>
    public static IReadOnlyList<BenchFigure> Measure(LanguageModel model, string text)
    {
        if (model.Config.Kind == ContextualModelKind.Bert)
        {
            PerplexityReport masked = ContextualPerplexity.MeasureMasked(model, text);
            return [Figure("masked-token loss (nats)", masked.LossPerToken, masked.Evaluation.Predictions, masked.Tokens)];
        }
        PerplexityReport report = ContextualPerplexity.Measure(model, text);
        BenchFigure perToken = Figure("token perplexity", report.TokenPerplexity, report.Evaluation.Predictions, report.Tokens);
        // The text's whole loss spread over its characters or words: every one of them counts.
        return model.Config.Tokenizer.Kind == TokenizerDescription.CharacterKind
            ? [perToken, Figure("bits per character", report.BitsPerCharacter, report.Characters, report.Characters)]
            : [perToken, Figure("word perplexity", report.WordPerplexity, report.Words, report.Words)];
    }

    /// <exception cref="ArgumentException">The text has fewer than two words.</exception>
    public static IReadOnlyList<BenchFigure> Measure(BidirectionalLanguageModel model, string text)
    {
        List<string> words = WordText.Words(text);
        BiLmEvaluation result = BiLmEvaluation.Measure(model, words);
        return
        [
            Figure("forward word perplexity", result.ForwardPerplexity, result.Predictions, words.Count),
            Figure("backward word perplexity", result.BackwardPerplexity, result.Predictions, words.Count),
        ];
    }

    private static BenchFigure Figure(string name, double value, long predicted, long total) =>
        new(name, value, ConfidenceInterval.Undefined, checked((int)predicted), checked((int)total));
}
