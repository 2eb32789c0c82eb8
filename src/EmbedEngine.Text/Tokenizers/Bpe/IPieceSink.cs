namespace EmbedEngine.Text.Tokenizers;

/// <summary>Receives the pre-tokens of <see cref="Gpt2PreTokenizer"/>, in order.</summary>
internal interface IPieceSink
{
    /// <summary>A pre-token of well-formed text.</summary>
    void Text(ReadOnlySpan<char> piece);

    /// <summary>One ill-formed UTF-8 subsequence, which forms a pre-token of its own.</summary>
    void InvalidBytes(ReadOnlySpan<byte> piece);
}
