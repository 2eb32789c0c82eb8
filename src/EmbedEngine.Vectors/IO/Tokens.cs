namespace EmbedEngine.Vectors.IO;

/// <summary>
/// Splits text lines on ASCII whitespace only. word2vec, GloVe and fastText split tokens the same way, so
/// Unicode spaces such as U+00A0 can be part of a word in their files and must not split it here either.
/// </summary>
internal static class Tokens
{
    /// <summary>Whether <paramref name="b"/> is space, tab, carriage return, vertical tab, form feed or newline.</summary>
    public static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0x0B or 0x0C;

    /// <summary>Whether <paramref name="line"/> holds nothing but whitespace.</summary>
    public static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (byte b in line)
        {
            if (!IsWhitespace(b)) return false;
        }
        return true;
    }

    /// <summary>The next token at or after <paramref name="position"/>, which moves past it; false when none is left.</summary>
    public static bool TryNext(ReadOnlySpan<byte> line, ref int position, out ReadOnlySpan<byte> token)
    {
        int start = position;
        while (start < line.Length && IsWhitespace(line[start])) start++;
        int end = start;
        while (end < line.Length && !IsWhitespace(line[end])) end++;
        position = end;
        token = line[start..end];
        return end > start;
    }

    /// <summary>Number of tokens in <paramref name="line"/>.</summary>
    public static int Count(ReadOnlySpan<byte> line)
    {
        int count = 0, position = 0;
        while (TryNext(line, ref position, out _)) count++;
        return count;
    }

    /// <summary>A token for an error message: decoded leniently and cut short.</summary>
    public static string Show(ReadOnlySpan<byte> token)
    {
        const int MaxShown = 40;
        string text = System.Text.Encoding.UTF8.GetString(token[..Math.Min(token.Length, MaxShown)]);
        return token.Length > MaxShown ? text + "..." : text;
    }
}
