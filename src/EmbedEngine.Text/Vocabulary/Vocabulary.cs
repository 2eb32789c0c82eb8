using System.Buffers;
using System.Collections.ObjectModel;
using System.Text;

namespace EmbedEngine.Text;

/// <summary>
/// The words kept for training, with their corpus frequencies. Ids run 0..Count-1 by descending frequency, ties
/// by ordinal UTF-8 byte order, so the same corpus always gives the same ids. Immutable and thread-safe.
/// </summary>
public sealed class Vocabulary
{
    /// <summary>
    /// Above this many invalid UTF-8 sequences per token the input is binary or in another encoding, not text
    /// with a few stray bytes; training on the replacement characters would silently produce nonsense.
    /// </summary>
    private const double MaxInvalidSequencesPerToken = 0.1;

    /// <summary>How often <see cref="Build(string, int, int, IProgress{long}?)"/> looks at the reader's position.</summary>
    private const int TokensPerProgressCheck = 1 << 16;

    private readonly Utf8WordTable _table;
    private readonly string[] _words;

    private Vocabulary(Utf8WordTable table, long totalTokens, long invalidSequences)
    {
        _table = table;
        _words = new string[table.Count];
        long totalWords = 0;
        for (int id = 0; id < _words.Length; id++)
        {
            _words[id] = Encoding.UTF8.GetString(table.Word(id));
            totalWords += table.CountOf(id);
        }
        Words = Array.AsReadOnly(_words);
        TotalWords = totalWords;
        TotalTokens = totalTokens;
        InvalidSequences = invalidSequences;
    }

    /// <summary>How many words were kept.</summary>
    public int Count => _words.Length;

    /// <summary>The word with id <paramref name="id"/>.</summary>
    public string this[int id] => _words[id];

    /// <summary>The words in id order.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>The sum of the frequencies of the kept words: word2vec's <c>train_words</c>.</summary>
    public long TotalWords { get; }

    /// <summary>Every token counted in the corpus, kept or not.</summary>
    public long TotalTokens { get; }

    /// <summary>How many invalid UTF-8 sequences were replaced by U+FFFD while counting.</summary>
    public long InvalidSequences { get; }

    /// <summary>How often the word with id <paramref name="id"/> occurs in the corpus.</summary>
    public long Frequency(int id) => _table.CountOf(id);

    /// <summary>Every word's frequency, in id order (a new array).</summary>
    public long[] Frequencies()
    {
        var frequencies = new long[Count];
        for (int id = 0; id < frequencies.Length; id++) frequencies[id] = Frequency(id);
        return frequencies;
    }

    /// <summary>The UTF-8 bytes of the word with id <paramref name="id"/>.</summary>
    public ReadOnlySpan<byte> Utf8Word(int id) => _table.Word(id);

    /// <summary>Looks up a word given as UTF-8 bytes (e.g. a token from <see cref="CorpusReader"/>) without allocating.</summary>
    /// <param name="utf8Word">The word's UTF-8 bytes.</param>
    /// <param name="id">The word's id, or -1 when it is not in the vocabulary.</param>
    /// <returns>Whether the word is in the vocabulary.</returns>
    public bool TryGetId(ReadOnlySpan<byte> utf8Word, out int id)
    {
        id = _table.IndexOf(utf8Word);
        return id >= 0;
    }

    /// <summary>The id of <paramref name="word"/>, or -1 when it is not in the vocabulary.</summary>
    public int IdOf(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        const int StackBytes = 256;
        int maxBytes = Encoding.UTF8.GetMaxByteCount(word.Length);
        byte[]? rented = maxBytes > StackBytes ? ArrayPool<byte>.Shared.Rent(maxBytes) : null;
        Span<byte> utf8 = rented ?? stackalloc byte[StackBytes];
        int length = Encoding.UTF8.GetBytes(word, utf8);
        int id = _table.IndexOf(utf8[..length]);
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        return id;
    }

    /// <summary>
    /// Counts the words of a corpus in one streaming pass and keeps those frequent enough.
    /// </summary>
    /// <remarks>
    /// Memory stays bounded as in word2vec.c: past 21 million distinct words (0.7 of its 30M hash table) the
    /// rarest are pruned with a threshold that rises at each pruning, so a word near the threshold may be
    /// undercounted or lost on a huge, diverse corpus.
    /// </remarks>
    /// <param name="corpusPath">A plain or gzip UTF-8 text file.</param>
    /// <param name="minCount">Keep words that occur at least this often (word2vec's <c>-min-count</c>, default 5 there).</param>
    /// <param name="maxSize">Then keep at most this many of the most frequent words; 0 for no limit.</param>
    /// <param name="bytesRead">Receives <see cref="CorpusReader.Position"/> now and then, for a progress bar.</param>
    /// <exception cref="CorpusException">The corpus is missing, unreadable, has no tokens, or no word reaches <paramref name="minCount"/>.</exception>
    public static Vocabulary Build(string corpusPath, int minCount, int maxSize = 0, IProgress<long>? bytesRead = null) =>
        Build(corpusPath, minCount, maxSize, bytesRead, new WordCounter());

    /// <summary>Builds with a given counter, so tests can make pruning happen on a small corpus.</summary>
    internal static Vocabulary Build(string corpusPath, int minCount, int maxSize, IProgress<long>? bytesRead,
        WordCounter counter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minCount);
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        using CorpusReader reader = CorpusReader.Open(corpusPath);
        int untilProgressCheck = TokensPerProgressCheck;
        long reported = -1;
        while (reader.Read(out ReadOnlySpan<byte> token, out bool lineBreak))
        {
            if (lineBreak) continue;
            counter.Add(token);
            if (--untilProgressCheck == 0)
            {
                untilProgressCheck = TokensPerProgressCheck;
                reported = Report(bytesRead, reader.Position, reported);
            }
        }
        Report(bytesRead, reader.Position, reported);

        if (counter.TotalTokens == 0)
        {
            throw new CorpusException(reader.Length == 0
                ? $"corpus '{corpusPath}' is empty"
                : $"corpus '{corpusPath}' is empty: it holds no words, only whitespace");
        }
        if (reader.InvalidSequences > counter.TotalTokens * MaxInvalidSequencesPerToken)
        {
            throw new CorpusException(
                $"corpus '{corpusPath}' does not look like UTF-8 text: {reader.InvalidSequences} invalid UTF-8 sequences in {counter.TotalTokens} tokens (is it a binary or differently encoded file?)");
        }
        Utf8WordTable? kept = Select(counter.Table, minCount, maxSize);
        if (kept is null)
        {
            string pruned = counter.PrunedBelow > 1
                ? $" left after pruning words seen fewer than {counter.PrunedBelow} times"
                : "";
            throw new CorpusException(
                $"no word occurs at least {minCount} times in '{corpusPath}' ({counter.Table.Count} distinct words{pruned})");
        }
        return new Vocabulary(kept, counter.TotalTokens, reader.InvalidSequences);
    }

    /// <summary>Makes a vocabulary from known counts, e.g. for tests or when loading a saved vocabulary.</summary>
    /// <param name="counts">Distinct, non-empty words without whitespace, with their counts (not negative).</param>
    /// <param name="minCount">Keep words with at least this count; words counted 0 times are never kept.</param>
    /// <param name="maxSize">Then keep at most this many of the most frequent words; 0 for no limit.</param>
    /// <exception cref="ArgumentException">A word is empty, holds whitespace or repeats, a count is negative, or no word is kept.</exception>
    public static Vocabulary FromCounts(IEnumerable<(string Word, long Count)> counts, int minCount = 1, int maxSize = 0)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentOutOfRangeException.ThrowIfNegative(minCount);
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        var table = new Utf8WordTable();
        long totalTokens = 0;
        foreach ((string word, long count) in counts)
        {
            if (string.IsNullOrEmpty(word)) throw new ArgumentException("A word is null or empty.", nameof(counts));
            if (count < 0) throw new ArgumentException($"The count of '{word}' is negative ({count}).", nameof(counts));
            byte[] utf8 = Encoding.UTF8.GetBytes(word);
            if (utf8.AsSpan().IndexOfAny(AsciiWhitespace.Bytes) >= 0)
                throw new ArgumentException($"The word '{word}' holds whitespace, so no corpus token can match it.", nameof(counts));
            if (table.IndexOf(utf8) >= 0) throw new ArgumentException($"The word '{word}' occurs twice.", nameof(counts));
            table.Add(utf8, count);
            totalTokens += count;
        }
        Utf8WordTable kept = Select(table, minCount, maxSize)
            ?? throw new ArgumentException($"No word has a count of at least {Math.Max(minCount, 1)}.", nameof(counts));
        return new Vocabulary(kept, totalTokens, invalidSequences: 0);
    }

    /// <summary>The words counted at least <paramref name="minCount"/> times (and at least once), in id order; null if none.</summary>
    private static Utf8WordTable? Select(Utf8WordTable counted, int minCount, int maxSize)
    {
        long threshold = Math.Max(minCount, 1);
        var candidates = new List<int>();
        for (int index = 0; index < counted.Count; index++)
        {
            if (counted.CountOf(index) >= threshold) candidates.Add(index);
        }
        if (candidates.Count == 0) return null;

        Span<int> order = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(candidates);
        order.Sort(new FrequencyOrder(counted));
        if (maxSize > 0 && order.Length > maxSize) order = order[..maxSize];

        var kept = new Utf8WordTable(order.Length);
        foreach (int index in order) kept.Add(counted.Word(index), counted.CountOf(index));
        return kept;
    }

    private static long Report(IProgress<long>? progress, long position, long reported)
    {
        if (progress is null || position == reported) return reported;
        progress.Report(position);
        return position;
    }

    /// <summary>Descending count, then ordinal byte order: the id order.</summary>
    private readonly struct FrequencyOrder(Utf8WordTable table) : IComparer<int>
    {
        public int Compare(int x, int y)
        {
            int byCount = table.CountOf(y).CompareTo(table.CountOf(x));
            return byCount != 0 ? byCount : table.Word(x).SequenceCompareTo(table.Word(y));
        }
    }
}
