using System.Runtime.InteropServices;
using System.Text;

namespace EmbedEngine.Models.Count;

/// <summary>
/// Cuts one document (its whitespace-separated words) into terms and counts them, following scikit-learn's
/// analyzers; character n-grams count Unicode code points, as Python's str does, not UTF-16 units.
/// Not thread-safe: it reuses its buffers.
/// </summary>
internal sealed class TermAnalyzer
{
    private readonly TfIdfOptions _options;
    private readonly List<string> _tokens = [];
    private readonly List<int> _boundaries = [];
    private readonly StringBuilder _joined = new();

    public TermAnalyzer(TfIdfOptions options) => _options = options;

    /// <summary>Adds the terms of <paramref name="words"/> to <paramref name="counts"/> (term → occurrences).</summary>
    public void Count(IReadOnlyList<string> words, Dictionary<string, int> counts)
    {
        switch (_options.Analyzer)
        {
            case TfIdfAnalyzer.Word: CountWordNGrams(words, counts); break;
            case TfIdfAnalyzer.CharWordBounded: CountBoundedCharNGrams(words, counts); break;
            default: CountCharNGrams(words, counts); break;
        }
    }

    private string Prepare(string word) => _options.Lowercase ? word.ToLowerInvariant() : word;

    private void CountWordNGrams(IReadOnlyList<string> words, Dictionary<string, int> counts)
    {
        _tokens.Clear();
        foreach (string word in words) SplitWordCharacterRuns(Prepare(word), _tokens);
        for (int n = _options.MinN; n <= _options.MaxN; n++)
        {
            for (int start = 0; start + n <= _tokens.Count; start++)
            {
                string term = n == 1 ? _tokens[start] : string.Join(' ', CollectionsMarshal.AsSpan(_tokens).Slice(start, n));
                Add(counts, term);
            }
        }
    }

    /// <summary>
    /// The runs of at least two word characters in <paramref name="text"/>, which is what <c>(?u)\b\w\w+\b</c> finds.
    /// Python's \w is a letter, a number or the underscore; combining marks are not word characters there either.
    /// </summary>
    private static void SplitWordCharacterRuns(string text, List<string> tokens)
    {
        int runStart = 0;
        int runLength = 0;
        int index = 0;
        foreach (Rune rune in text.EnumerateRunes())
        {
            if (Rune.IsLetter(rune) || Rune.IsNumber(rune) || rune.Value == '_')
            {
                if (runLength == 0) runStart = index;
                runLength++;
            }
            else
            {
                if (runLength >= 2) tokens.Add(text[runStart..index]);
                runLength = 0;
            }
            index += rune.Utf16SequenceLength;
        }
        if (runLength >= 2) tokens.Add(text[runStart..]);
    }

    private void CountBoundedCharNGrams(IReadOnlyList<string> words, Dictionary<string, int> counts)
    {
        foreach (string word in words)
        {
            string padded = string.Concat(" ", Prepare(word), " ");
            int length = FindCodePoints(padded);
            for (int n = _options.MinN; n <= _options.MaxN; n++)
            {
                // A padded word no longer than n is one term, counted once for all such n (scikit-learn stops there).
                if (length <= n)
                {
                    Add(counts, padded);
                    break;
                }
                for (int start = 0; start + n <= length; start++) Add(counts, Slice(padded, start, n));
            }
        }
    }

    private void CountCharNGrams(IReadOnlyList<string> words, Dictionary<string, int> counts)
    {
        _joined.Clear();
        foreach (string word in words)
        {
            if (_joined.Length > 0) _joined.Append(' ');
            _joined.Append(Prepare(word));
        }
        string text = _joined.ToString();
        int length = FindCodePoints(text);
        for (int n = _options.MinN; n <= Math.Min(_options.MaxN, length); n++)
        {
            for (int start = 0; start + n <= length; start++) Add(counts, Slice(text, start, n));
        }
    }

    /// <summary>Records where each code point of <paramref name="text"/> starts (plus its end); returns their count.</summary>
    private int FindCodePoints(string text)
    {
        _boundaries.Clear();
        int index = 0;
        foreach (Rune rune in text.EnumerateRunes())
        {
            _boundaries.Add(index);
            index += rune.Utf16SequenceLength;
        }
        _boundaries.Add(index);
        return _boundaries.Count - 1;
    }

    /// <summary>Code points [start, start + n) of the text last given to <see cref="FindCodePoints"/>.</summary>
    private string Slice(string text, int start, int n) =>
        text.Substring(_boundaries[start], _boundaries[start + n] - _boundaries[start]);

    private static void Add(Dictionary<string, int> counts, string term) =>
        CollectionsMarshal.GetValueRefOrAddDefault(counts, term, out _)++;
}
