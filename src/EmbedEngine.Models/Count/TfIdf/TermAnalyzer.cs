using System.Runtime.InteropServices;
using System.Text;

namespace EmbedEngine.Models.Count;

/// <summary>
/// Cuts one document (its whitespace-separated words) into terms and counts their features, following
/// scikit-learn's analyzers; character n-grams count Unicode code points, as Python's str does, not UTF-16 units.
/// Terms are slices of reused buffers, so only a term that is new to the vocabulary ever becomes a string.
/// Not thread-safe: it reuses its buffers.
/// </summary>
internal sealed class TermAnalyzer
{
    private readonly TfIdfOptions _options;
    private readonly List<Range> _tokens = [];
    private readonly List<int> _boundaries = [];
    private char[] _text = new char[256];
    private char[] _joined = new char[256];

    public TermAnalyzer(TfIdfOptions options) => _options = options;

    /// <summary>Adds the features of the terms of <paramref name="words"/> to <paramref name="counts"/> (feature → occurrences).</summary>
    public void Count(IReadOnlyList<string> words, ITermFeatures features, Dictionary<int, int> counts)
    {
        switch (_options.Analyzer)
        {
            case TfIdfAnalyzer.Word: CountWordNGrams(words, features, counts); break;
            case TfIdfAnalyzer.CharWordBounded: CountBoundedCharNGrams(words, features, counts); break;
            default: CountCharNGrams(words, features, counts); break;
        }
    }

    /// <summary>Writes <paramref name="word"/>, lowercased if asked, at <paramref name="at"/> of the text buffer.</summary>
    private void Put(string word, int at)
    {
        EnsureCapacity(ref _text, at + word.Length);
        Span<char> target = _text.AsSpan(at, word.Length);
        if (_options.Lowercase) word.AsSpan().ToLowerInvariant(target);
        else word.AsSpan().CopyTo(target);
    }

    private void CountWordNGrams(IReadOnlyList<string> words, ITermFeatures features, Dictionary<int, int> counts)
    {
        _tokens.Clear();
        int length = 0;
        foreach (string word in words)
        {
            Put(word, length);
            AddWordCharacterRuns(length, length + word.Length);
            length += word.Length;
        }
        for (int n = _options.MinN; n <= _options.MaxN; n++)
        {
            for (int start = 0; start + n <= _tokens.Count; start++)
                Add(features, counts, n == 1 ? _text.AsSpan(_tokens[start]) : Join(start, n));
        }
    }

    /// <summary>
    /// Records the runs of at least two word characters in text [start, end), which is what <c>(?u)\b\w\w+\b</c>
    /// finds: Python's \w is a letter, a number or the underscore (combining marks are not word characters there).
    /// </summary>
    private void AddWordCharacterRuns(int start, int end)
    {
        int runStart = start, runLength = 0, index = start;
        while (index < end)
        {
            Rune.DecodeFromUtf16(_text.AsSpan(index, end - index), out Rune rune, out int consumed);
            if (Rune.IsLetter(rune) || Rune.IsNumber(rune) || rune.Value == '_')
            {
                if (runLength == 0) runStart = index;
                runLength++;
            }
            else
            {
                if (runLength >= 2) _tokens.Add(runStart..index);
                runLength = 0;
            }
            index += consumed;
        }
        if (runLength >= 2) _tokens.Add(runStart..end);
    }

    /// <summary>Tokens [start, start + n) joined by single spaces.</summary>
    private ReadOnlySpan<char> Join(int start, int n)
    {
        int length = n - 1;
        for (int i = start; i < start + n; i++) length += _tokens[i].GetOffsetAndLength(_text.Length).Length;
        EnsureCapacity(ref _joined, length);
        int at = 0;
        for (int i = start; i < start + n; i++)
        {
            if (i > start) _joined[at++] = ' ';
            ReadOnlySpan<char> token = _text.AsSpan(_tokens[i]);
            token.CopyTo(_joined.AsSpan(at));
            at += token.Length;
        }
        return _joined.AsSpan(0, length);
    }

    private void CountBoundedCharNGrams(IReadOnlyList<string> words, ITermFeatures features, Dictionary<int, int> counts)
    {
        foreach (string word in words)
        {
            Put(word, 1);
            _text[0] = ' ';
            _text[word.Length + 1] = ' ';
            ReadOnlySpan<char> padded = _text.AsSpan(0, word.Length + 2);
            int length = FindCodePoints(padded);
            for (int n = _options.MinN; n <= _options.MaxN; n++)
            {
                // A padded word no longer than n is one term, counted once for all such n (scikit-learn stops there).
                if (length <= n)
                {
                    Add(features, counts, padded);
                    break;
                }
                for (int start = 0; start + n <= length; start++) Add(features, counts, Slice(padded, start, n));
            }
        }
    }

    private void CountCharNGrams(IReadOnlyList<string> words, ITermFeatures features, Dictionary<int, int> counts)
    {
        int end = 0;
        foreach (string word in words)
        {
            if (end > 0)
            {
                EnsureCapacity(ref _text, end + 1);
                _text[end++] = ' ';
            }
            Put(word, end);
            end += word.Length;
        }
        ReadOnlySpan<char> text = _text.AsSpan(0, end);
        int length = FindCodePoints(text);
        for (int n = _options.MinN; n <= Math.Min(_options.MaxN, length); n++)
        {
            for (int start = 0; start + n <= length; start++) Add(features, counts, Slice(text, start, n));
        }
    }

    /// <summary>Records where each code point of <paramref name="text"/> starts (plus its end); returns their count.</summary>
    private int FindCodePoints(ReadOnlySpan<char> text)
    {
        _boundaries.Clear();
        int index = 0;
        while (index < text.Length)
        {
            _boundaries.Add(index);
            Rune.DecodeFromUtf16(text[index..], out _, out int consumed);
            index += consumed;
        }
        _boundaries.Add(index);
        return _boundaries.Count - 1;
    }

    /// <summary>Code points [start, start + n) of the text last given to <see cref="FindCodePoints"/>.</summary>
    private ReadOnlySpan<char> Slice(ReadOnlySpan<char> text, int start, int n) =>
        text[_boundaries[start].._boundaries[start + n]];

    private static void Add(ITermFeatures features, Dictionary<int, int> counts, ReadOnlySpan<char> term)
    {
        int feature = features.FeatureOf(term);
        if (feature >= 0) CollectionsMarshal.GetValueRefOrAddDefault(counts, feature, out _)++;
    }

    private static void EnsureCapacity(ref char[] buffer, int length)
    {
        if (buffer.Length < length) Array.Resize(ref buffer, Math.Max(length, buffer.Length * 2));
    }
}
