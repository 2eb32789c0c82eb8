namespace EmbedEngine.Models.Contextual;

/// <summary>
/// Perplexity of a causal language model (GPT-like or LSTM), or a BERT-like model's masked-token loss, over a text in
/// consecutive windows (<see cref="ContextualEvaluation"/>).
/// </summary>
public static class ContextualPerplexity
{
    /// <summary>Windows evaluated at once.</summary>
    private const int BatchSize = 16;

    /// <summary>Measures <paramref name="model"/> on <paramref name="text"/>.</summary>
    /// <exception cref="ArgumentException">The model is BERT-like, the text has characters outside the vocabulary, or it is too short.</exception>
    public static PerplexityReport Measure(LanguageModel model, string text)
    {
        if (!model.Config.IsCausal)
            throw new ArgumentException("Perplexity needs a causal model; a BERT-like model is measured by its masked-token loss and accuracy.");
        return MeasureMasked(model, text);
    }

    /// <summary>
    /// A BERT-like model's masked-token loss and accuracy on <paramref name="text"/> (a causal model's next-token ones),
    /// with the text's counts.
    /// </summary>
    /// <exception cref="ArgumentException">The text has characters outside the vocabulary, or it is too short.</exception>
    public static PerplexityReport MeasureMasked(LanguageModel model, string text)
    {
        var ids = new List<int>();
        model.Tokenizer.Encode(text, ids);
        return new PerplexityReport(ContextualEvaluation.Evaluate(model, ids.ToArray(), BatchSize), ids.Count, CountWords(text), text.Length);
    }

    /// <summary>Runs of non-whitespace characters.</summary>
    public static long CountWords(string text)
    {
        long words = 0;
        bool inWord = false;
        foreach (char c in text)
        {
            bool space = char.IsWhiteSpace(c);
            if (!space && !inWord) words++;
            inWord = !space;
        }
        return words;
    }
}
