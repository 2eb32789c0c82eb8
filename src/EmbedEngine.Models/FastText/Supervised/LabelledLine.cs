namespace EmbedEngine.Models.FastText.Supervised;

/// <summary>
/// Splits one line of labelled text into tokens as fastText reads it: runs of ASCII whitespace (and NUL) separate
/// tokens, and the end of the line is one more token, <see cref="EndOfLine"/>, so every line has at least one
/// word to average.
/// </summary>
internal static class LabelledLine
{
    /// <summary>fastText's end-of-sentence word, counted and trained like any other word.</summary>
    public const string EndOfLine = "</s>";

    /// <summary>Calls <paramref name="onToken"/> for every token of <paramref name="line"/>, then for <see cref="EndOfLine"/>.</summary>
    public static void ForEachToken<TState>(ReadOnlySpan<char> line, ref TState state, TokenAction<TState> onToken)
    {
        int start = -1;
        for (int i = 0; i <= line.Length; i++)
        {
            bool separator = i == line.Length || IsSeparator(line[i]);
            if (!separator && start < 0) start = i;
            else if (separator && start >= 0)
            {
                onToken(line[start..i], ref state);
                start = -1;
            }
        }
        onToken(EndOfLine, ref state);
    }

    /// <summary>Receives one token.</summary>
    public delegate void TokenAction<TState>(ReadOnlySpan<char> token, ref TState state);

    private static bool IsSeparator(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r' or '\0';
}
