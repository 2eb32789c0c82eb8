using System.Text;
using System.Text.Unicode;

namespace EmbedEngine.Vectors.Formats;

/// <summary>
/// Collects the words of a file being read, refusing invalid UTF-8 and duplicates while the reader still knows
/// where in the file the word came from.
/// </summary>
/// <remarks>
/// Invalid UTF-8 is an error rather than replaced with U+FFFD: replacement would silently change words (a save
/// would then not reproduce the file) and could merge two different byte strings into one duplicate word.
/// </remarks>
internal sealed class VocabularyBuilder
{
    private readonly string[] _words;
    private readonly Dictionary<string, int> _indexByWord;

    /// <summary>Prepares for exactly <paramref name="count"/> words.</summary>
    public VocabularyBuilder(int count)
    {
        _words = new string[count];
        _indexByWord = new Dictionary<string, int>(count, StringComparer.Ordinal);
    }

    /// <summary>Words added so far.</summary>
    public int Count { get; private set; }

    /// <summary>Adds the next word; returns null, or what is wrong with it (the caller adds the location).</summary>
    public string? TryAdd(ReadOnlySpan<byte> utf8Word)
    {
        if (!Utf8.IsValid(utf8Word))
            return $"word {Count} is not valid UTF-8 (bytes {Convert.ToHexString(utf8Word[..Math.Min(utf8Word.Length, 32)])}).";
        string word = Encoding.UTF8.GetString(utf8Word);
        if (!_indexByWord.TryAdd(word, Count))
            return $"the word '{word}' appears twice (rows {_indexByWord[word]} and {Count}); words must be distinct.";
        _words[Count++] = word;
        return null;
    }

    /// <summary>Wraps the collected words and <paramref name="matrix"/> (which it takes over) as vectors.</summary>
    public KeyedVectors Build(EmbedEngine.Kernels.NativeMatrix matrix)
    {
        if (Count != _words.Length)
            throw new InvalidOperationException($"Only {Count} of {_words.Length} words were added.");
        return new KeyedVectors(_words, _indexByWord, matrix);
    }
}
