namespace EmbedEngine.Models.Contextual;

/// <summary>Which language model.</summary>
public enum ContextualModelKind
{
    /// <summary>GPT-like: causal attention, predicts the next token.</summary>
    Gpt,

    /// <summary>BERT-like: bidirectional attention, predicts masked tokens.</summary>
    Bert,

    /// <summary>Stacked LSTM layers (char-rnn): predicts the next token.</summary>
    Lstm,
}
