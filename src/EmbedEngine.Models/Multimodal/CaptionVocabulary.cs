using System.Text.RegularExpressions;

namespace EmbedEngine.Models.Multimodal;

/// <summary>
/// The words of the training captions: a caption is lowercased and its runs of letters a–z are its words (commas,
/// colons and digits fall away). Id 0 stands for every word not seen in training, id 1 ends every caption (CLIP's
/// end-of-text token, where the text encoder pools), and the training words follow in order of first appearance.
/// </summary>
public sealed partial class CaptionVocabulary
{
    /// <summary>The id of a word not in the vocabulary.</summary>
    public const int Unknown = 0;

    /// <summary>The id that ends every caption.</summary>
    public const int EndOfText = 1;

    /// <summary>The first id of a real word.</summary>
    public const int FirstWord = 2;

    private readonly Dictionary<string, int> _ids;

    /// <summary>A vocabulary of <paramref name="words"/>, in id order from <see cref="FirstWord"/>.</summary>
    /// <exception cref="ArgumentException">A word repeats or is not a run of letters a–z.</exception>
    public CaptionVocabulary(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string word in words)
        {
            if (!WordPattern().IsMatch(word) || WordPattern().Match(word).Length != word.Length)
                throw new ArgumentException($"'{word}' is not a caption word (a run of letters a–z).", nameof(words));
            if (!_ids.TryAdd(word, FirstWord + _ids.Count)) throw new ArgumentException($"The word '{word}' appears twice.", nameof(words));
        }
        Words = [.. words];
    }

    /// <summary>The words, id <see cref="FirstWord"/> first.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>Ids, the two special tokens included.</summary>
    public int Size => FirstWord + Words.Count;

    /// <summary>The vocabulary of <paramref name="captions"/>: every distinct word, in order of first appearance.</summary>
    public static CaptionVocabulary Build(IEnumerable<string> captions)
    {
        ArgumentNullException.ThrowIfNull(captions);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var words = new List<string>();
        foreach (string caption in captions)
            foreach (string word in Split(caption))
                if (seen.Add(word)) words.Add(word);
        return new CaptionVocabulary(words);
    }

    /// <summary>The words of <paramref name="caption"/>, lowercased.</summary>
    public static IEnumerable<string> Split(string caption)
    {
        ArgumentNullException.ThrowIfNull(caption);
        foreach (Match match in WordPattern().Matches(caption.ToLowerInvariant())) yield return match.Value;
    }

    /// <summary>
    /// The ids of <paramref name="caption"/>'s words then <see cref="EndOfText"/>, at most <paramref name="context"/>
    /// in all: words past room are dropped so the end-of-text token always comes last.
    /// </summary>
    public int[] Encode(string caption, int context)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(context, 1);
        var ids = new List<int>();
        foreach (string word in Split(caption))
        {
            if (ids.Count == context - 1) break;
            ids.Add(_ids.TryGetValue(word, out int id) ? id : Unknown);
        }
        ids.Add(EndOfText);
        return [.. ids];
    }

    [GeneratedRegex("[a-z]+", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();
}
