using EmbedEngine.Cli.Commands;

namespace EmbedEngine.Cli.Bench;

/// <summary>The language models' held-out text, cut to a length that keeps a suite of several models within minutes.</summary>
internal static class HeldOutTexts
{
    /// <summary>
    /// The file's first <paramref name="characters"/> characters (all of it when 0 or when it is shorter), ending
    /// before the word the cut would split, so every model is measured on whole words of the same text.
    /// </summary>
    public static string Read(string path, int characters)
    {
        string text = ContextualTexts.ReadText(path);
        if (characters <= 0 || text.Length <= characters) return text;
        int end = characters;
        while (end > 0 && !char.IsWhiteSpace(text[end])) end--;
        if (end > 0) return text[..end];
        return text[..(char.IsLowSurrogate(text[characters]) ? characters - 1 : characters)]; // one long word: never split a surrogate pair
    }
}
