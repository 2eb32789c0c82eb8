namespace EmbedEngine.Models.Contextual;

/// <summary>
/// How well a causal language model predicts a text. Per-token figures depend on the tokenizer; per-word perplexity and
/// bits per character compare across tokenizers: both spread the text's loss — the mean per predicted token times
/// its tokens (the first token of each window has no prediction of its own) — over its whitespace-separated words
/// or its characters. For a character model, bits per character is the loss per token in bits.
/// </summary>
/// <param name="Evaluation">The loss over the text's consecutive windows.</param>
/// <param name="Tokens">Tokens in the text.</param>
/// <param name="Words">Whitespace-separated words in the text.</param>
/// <param name="Characters">Characters (UTF-16 units) in the text.</param>
public sealed record PerplexityReport(WindowEvaluation Evaluation, long Tokens, long Words, long Characters)
{
    /// <summary>Mean loss per predicted token, in nats.</summary>
    public double LossPerToken => Evaluation.MeanLoss;

    /// <summary>e^(loss per token).</summary>
    public double TokenPerplexity => Math.Exp(Evaluation.MeanLoss);

    /// <summary>The text's loss in nats: the mean per predicted token times its tokens.</summary>
    public double TextLoss => Evaluation.MeanLoss * Tokens;

    /// <summary>e^(text loss / words); infinite for a text without words.</summary>
    public double WordPerplexity => Words == 0 ? double.PositiveInfinity : Math.Exp(TextLoss / Words);

    /// <summary>The text's loss in bits per character.</summary>
    public double BitsPerCharacter => Characters == 0 ? double.PositiveInfinity : TextLoss / Math.Log(2) / Characters;
}
