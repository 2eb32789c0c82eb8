namespace EmbedEngine.Models.Contextual;

/// <summary>
/// How well a GPT-like model predicts a text. Per-token figures depend on the tokenizer; per-word perplexity
/// (the total loss over the whitespace-separated words) and bits per character compare across tokenizers.
/// </summary>
/// <param name="Evaluation">The loss over the text's consecutive windows.</param>
/// <param name="Words">Whitespace-separated words in the text.</param>
/// <param name="Characters">Characters (UTF-16 units) in the text.</param>
public sealed record PerplexityReport(WindowEvaluation Evaluation, long Words, long Characters)
{
    /// <summary>Mean loss per predicted token, in nats.</summary>
    public double LossPerToken => Evaluation.MeanLoss;

    /// <summary>e^(loss per token).</summary>
    public double TokenPerplexity => Math.Exp(Evaluation.MeanLoss);

    /// <summary>e^(total loss / words); infinite for a text without words.</summary>
    public double WordPerplexity => Words == 0 ? double.PositiveInfinity : Math.Exp(Evaluation.TotalLoss / Words);

    /// <summary>Total loss in bits per character of the text.</summary>
    public double BitsPerCharacter => Characters == 0 ? double.PositiveInfinity : Evaluation.TotalLoss / Math.Log(2) / Characters;
}
