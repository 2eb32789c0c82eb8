namespace EmbedEngine.Models.Contextual;

/// <summary>Which transformer language model.</summary>
public enum ContextualModelKind
{
    /// <summary>GPT-like: causal attention, predicts the next token.</summary>
    Gpt,

    /// <summary>BERT-like: bidirectional attention, predicts masked tokens.</summary>
    Bert,
}
