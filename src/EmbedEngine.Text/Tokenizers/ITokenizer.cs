namespace EmbedEngine.Text.Tokenizers;

/// <summary>
/// Turns text into token ids and back, for the neural language models. Ids run from 0 to
/// <see cref="VocabularySize"/> − 1; a model may add special tokens (mask, class) after them.
/// </summary>
public interface ITokenizer
{
    /// <summary>How many ids the tokenizer produces.</summary>
    int VocabularySize { get; }

    /// <summary>Appends the ids of <paramref name="text"/> to <paramref name="ids"/>.</summary>
    /// <exception cref="ArgumentException">The text holds something the vocabulary cannot represent (a character model's unknown character).</exception>
    void Encode(string text, List<int> ids);

    /// <summary>The text of <paramref name="ids"/>.</summary>
    string Decode(ReadOnlySpan<int> ids);
}
