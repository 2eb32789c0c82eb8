using System.Collections.ObjectModel;
using EmbedEngine.Text;

namespace EmbedEngine.Models.FastText;

/// <summary>
/// fastText's dictionary: its entries (words, then labels) with their corpus counts, and the number of tokens
/// read. Entry i owns input row i; words come first so that rows 0..WordCount-1 are the word rows.
/// Immutable and thread-safe.
/// </summary>
public sealed class FastTextDictionary
{
    private readonly string[] _entries;
    private readonly long[] _counts;
    private readonly FastTextEntryType[] _types;
    private readonly Dictionary<string, int> _idByEntry;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _idBySpan;
    private readonly Dictionary<int, int>? _rowByBucket;

    /// <summary>Creates a dictionary from its entries, in row order.</summary>
    /// <param name="entries">Words first, then labels; distinct.</param>
    /// <param name="counts">How often each entry occurred in the corpus.</param>
    /// <param name="types">Whether each entry is a word or a label.</param>
    /// <param name="tokenCount">Tokens read from the corpus, kept or not (fastText's ntokens).</param>
    /// <param name="prunedBuckets">
    /// fastText's pruneidx after <c>quantize -cutoff</c>: which hash bucket keeps which of the remaining bucket rows, in
    /// the file's order; null (fastText's -1) when no bucket was pruned.
    /// </param>
    /// <exception cref="ArgumentException">
    /// The lists differ in length, an entry is null or repeated, a count is negative, a word follows a label, or
    /// the pruned buckets repeat a bucket or do not number their rows 0..n-1.
    /// </exception>
    public FastTextDictionary(IReadOnlyList<string> entries, IReadOnlyList<long> counts,
        IReadOnlyList<FastTextEntryType> types, long tokenCount, IReadOnlyList<(int Bucket, int Row)>? prunedBuckets = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(types);
        if (counts.Count != entries.Count || types.Count != entries.Count)
            throw new ArgumentException(
                $"There are {entries.Count} entries but {counts.Count} counts and {types.Count} types.");
        if (tokenCount < 0) throw new ArgumentException($"The token count {tokenCount} is negative.", nameof(tokenCount));
        _entries = [.. entries];
        _counts = [.. counts];
        _types = [.. types];
        _idByEntry = new Dictionary<string, int>(_entries.Length, StringComparer.Ordinal);
        for (int id = 0; id < _entries.Length; id++) Add(id);
        _idBySpan = _idByEntry.GetAlternateLookup<ReadOnlySpan<char>>();
        Entries = Array.AsReadOnly(_entries);
        TokenCount = tokenCount;
        if (prunedBuckets is not null)
        {
            PrunedBuckets = [.. prunedBuckets];
            _rowByBucket = RowsByBucket(PrunedBuckets);
        }
    }

    /// <summary>
    /// A dictionary from counted vocabularies: the words (as a word-vector trainer builds it), then the labels for
    /// the classifier.
    /// </summary>
    /// <param name="words">The words, most frequent first, with their counts and the corpus token count.</param>
    /// <param name="labels">The classifier's labels, most frequent first; none for word vectors.</param>
    /// <param name="tokenCount">Tokens read, labels included; by default the words' corpus token count.</param>
    public static FastTextDictionary FromVocabulary(Vocabulary words, Vocabulary? labels = null, long? tokenCount = null)
    {
        ArgumentNullException.ThrowIfNull(words);
        int labelCount = labels?.Count ?? 0;
        return new FastTextDictionary([.. words.Words, .. labels?.Words ?? []],
            [.. words.Frequencies(), .. labels?.Frequencies() ?? []],
            [.. Enumerable.Repeat(FastTextEntryType.Word, words.Count), .. Enumerable.Repeat(FastTextEntryType.Label, labelCount)],
            tokenCount ?? words.TotalTokens);
    }

    /// <summary>Every entry in row order: words, then labels.</summary>
    public IReadOnlyList<string> Entries { get; }

    /// <summary>Number of words (fastText's nwords): the entries before the first label.</summary>
    public int WordCount { get; private set; }

    /// <summary>Number of labels (fastText's nlabels).</summary>
    public int LabelCount => _entries.Length - WordCount;

    /// <summary>Tokens read from the corpus, kept or not (fastText's ntokens).</summary>
    public long TokenCount { get; }

    /// <summary>The pruned bucket index in file order (fastText's pruneidx), or null when no bucket was pruned.</summary>
    public IReadOnlyList<(int Bucket, int Row)>? PrunedBuckets { get; }

    /// <summary>Input rows after the words: every bucket, or only those a pruned index kept.</summary>
    public int BucketRows(int buckets) => PrunedBuckets?.Count ?? buckets;

    /// <summary>
    /// The input row of hash bucket <paramref name="bucket"/> (after the words), or -1 when pruning dropped it, as
    /// fastText's Dictionary::pushHash maps it.
    /// </summary>
    public int BucketRow(int bucket)
    {
        if (_rowByBucket is null) return WordCount + bucket;
        return _rowByBucket.TryGetValue(bucket, out int row) ? WordCount + row : -1;
    }

    /// <summary>How often entry <paramref name="id"/> occurred in the corpus.</summary>
    public long Count(int id) => _counts[id];

    /// <summary>Whether entry <paramref name="id"/> is a word or a label.</summary>
    public FastTextEntryType TypeOf(int id) => _types[id];

    /// <summary>The id of <paramref name="entry"/> (exact, case-sensitive), or -1 when it is not in the dictionary.</summary>
    public int IdOf(string entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return _idByEntry.TryGetValue(entry, out int id) ? id : -1;
    }

    /// <summary>The id of <paramref name="entry"/> (exact, case-sensitive), or -1; a token of a line needs no string.</summary>
    public int IdOf(ReadOnlySpan<char> entry) => _idBySpan.TryGetValue(entry, out int id) ? id : -1;

    private static Dictionary<int, int> RowsByBucket(IReadOnlyList<(int Bucket, int Row)> pruned)
    {
        var rowByBucket = new Dictionary<int, int>(pruned.Count);
        var rowTaken = new bool[pruned.Count];
        foreach ((int bucket, int row) in pruned)
        {
            if (bucket < 0 || !rowByBucket.TryAdd(bucket, row))
                throw new ArgumentException($"The pruned bucket {bucket} is negative or listed twice.");
            if ((uint)row >= (uint)pruned.Count || rowTaken[row])
                throw new ArgumentException($"Bucket {bucket} keeps row {row}; {pruned.Count} pruned buckets must keep rows 0..{pruned.Count - 1} once each.");
            rowTaken[row] = true;
        }
        return rowByBucket;
    }

    private void Add(int id)
    {
        string entry = _entries[id] ?? throw new ArgumentException($"Entry {id} is null.");
        if (_counts[id] < 0) throw new ArgumentException($"The count {_counts[id]} of '{entry}' is negative.");
        if (!_idByEntry.TryAdd(entry, id)) throw new ArgumentException($"'{entry}' occurs twice in the dictionary.");
        switch (_types[id])
        {
            case FastTextEntryType.Word when WordCount < id:
                throw new ArgumentException($"The word '{entry}' follows a label; words must come first.");
            case FastTextEntryType.Word:
                WordCount++;
                break;
            case FastTextEntryType.Label:
                break;
            default:
                throw new ArgumentException($"'{entry}' has the unknown entry type {(int)_types[id]}.");
        }
    }
}
