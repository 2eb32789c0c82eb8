namespace EmbedEngine.Text.Tokenizers;

/// <summary>What <see cref="BpeTrainer"/> learns.</summary>
public sealed record BpeTrainingOptions
{
    /// <summary>The vocabulary to reach: 256 byte tokens, the merges, and the end-of-text token if added.</summary>
    public int VocabularySize { get; init; } = 8000;

    /// <summary>Appends GPT-2's <see cref="ByteLevelBpe.EndOfText"/> as the last id.</summary>
    public bool AddEndOfText { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> when the vocabulary cannot hold the byte tokens (and end-of-text).</summary>
    public void Validate()
    {
        int smallest = ByteLevelAlphabet.ByteCount + (AddEndOfText ? 1 : 0);
        if (VocabularySize < smallest)
            throw new ArgumentException($"The vocabulary size must be at least {smallest} (the 256 byte tokens{(AddEndOfText ? " and the end-of-text token" : "")}); it is {VocabularySize}.");
    }
}

/// <summary>A trained tokenizer and what training saw.</summary>
/// <param name="Tokenizer">The tokenizer.</param>
/// <param name="PreTokens">Pre-tokens in the corpus, repeats included.</param>
/// <param name="DistinctPreTokens">Distinct pre-tokens the merges were learned on.</param>
/// <param name="Counting">Time spent reading and pre-tokenizing the corpus.</param>
/// <param name="Merging">Time spent learning the merges.</param>
public sealed record BpeTrainingResult(ByteLevelBpe Tokenizer, long PreTokens, int DistinctPreTokens, TimeSpan Counting, TimeSpan Merging);
