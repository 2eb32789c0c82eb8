using System.Text;

namespace EmbedEngine.Models.Contextual.Elmo;

/// <summary>
/// A text as the biLM reads it: whitespace-separated words, each line ending in the sentence boundary
/// <see cref="LineEnd"/> (so the models see where sentences stop), blank lines skipped.
/// </summary>
public static class WordText
{
    /// <summary>The token each non-blank line ends with, as word2vec's &lt;/s&gt;.</summary>
    public const string LineEnd = "</s>";

    /// <summary>The words of <paramref name="text"/>, with <see cref="LineEnd"/> after each non-blank line.</summary>
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        foreach (string line in text.Split('\n'))
        {
            int before = words.Count;
            words.AddRange(Split(line));
            if (words.Count > before) words.Add(LineEnd);
        }
        return words;
    }

    /// <summary>The whitespace-separated words of one sentence.</summary>
    public static string[] Split(string sentence) => sentence.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A whole UTF-8 file, refusing invalid UTF-8 with the byte offset.</summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="InvalidDataException">The file is not UTF-8.</exception>
    public static string Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} does not exist.", path);
        byte[] bytes = File.ReadAllBytes(path);
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"{path} is not valid UTF-8 (byte {e.Index}).", e);
        }
    }
}
