using System.Buffers;
using System.Text;
using EmbedEngine.Text;

namespace EmbedEngine.Models.FastText.Supervised;

/// <summary>
/// The classifier's view of a <see cref="FastTextDictionary"/> (words, then labels): how a line turns into
/// features as fastText's Dictionary::getLine does it: for each word its id if known and its character n-gram
/// buckets (when maxn is above 0), then one hashed bucket per word n-gram (2..<see cref="WordNgrams"/>); bucket b is
/// row <c>WordCount + b</c> of the input matrix.
/// </summary>
public sealed class ClassifierDictionary
{
    /// <summary>fastText's multiplier for chaining word hashes into an n-gram hash.</summary>
    private const ulong NgramHashMultiplier = 116_049_371;

    /// <summary>Longest token, in UTF-8 bytes, hashed from the stack; longer ones rent a buffer.</summary>
    private const int StackTokenBytes = 256;

    private readonly long[] _labelCounts;

    /// <summary>Wraps <paramref name="entries"/>, which must hold at least one label.</summary>
    /// <param name="entries">Words (<see cref="LabelledLine.EndOfLine"/> included), then labels, each by descending count.</param>
    /// <param name="wordNgrams">Longest word n-gram.</param>
    /// <param name="ngrams">Character n-grams (maxn 0 for none) and the bucket count word n-grams share.</param>
    /// <param name="labelPrefix">
    /// What starts a label token that is not in the dictionary; a known entry keeps its stored type, as in fastText
    /// (whose .bin does not store the prefix).
    /// </param>
    /// <exception cref="ArgumentException">There is no label, or word n-grams have no bucket.</exception>
    public ClassifierDictionary(FastTextDictionary entries, int wordNgrams, CharacterNgrams ngrams, string labelPrefix)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(ngrams);
        ArgumentException.ThrowIfNullOrEmpty(labelPrefix);
        if (entries.LabelCount == 0) throw new ArgumentException("A classifier's dictionary needs at least one label.", nameof(entries));
        if (wordNgrams > 1 && ngrams.Buckets < 1)
            throw new ArgumentException($"wordNgrams {wordNgrams} needs at least one bucket, not {ngrams.Buckets}.", nameof(ngrams));
        Entries = entries;
        WordNgrams = wordNgrams;
        Ngrams = ngrams;
        LabelPrefix = labelPrefix;
        Words = entries.Entries.Take(entries.WordCount).ToArray();
        Labels = entries.Entries.Skip(entries.WordCount).ToArray();
        _labelCounts = new long[entries.LabelCount];
        for (int label = 0; label < _labelCounts.Length; label++) _labelCounts[label] = entries.Count(entries.WordCount + label);
    }

    /// <summary>Words then labels, with their counts, as fastText's .bin stores them.</summary>
    public FastTextDictionary Entries { get; }

    /// <summary>Number of words: entry ids below this are words and input rows.</summary>
    public int WordCount => Entries.WordCount;

    /// <summary>Number of labels; label id i is entry WordCount + i.</summary>
    public int LabelCount => Entries.LabelCount;

    /// <summary>The words, by id (descending count).</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>The labels, prefix included, by label id (descending count).</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Each label's count, by label id (descending, as the Huffman tree of hierarchical softmax needs).</summary>
    public IReadOnlyList<long> LabelCounts => _labelCounts;

    /// <summary>Longest word n-gram used as a feature.</summary>
    public int WordNgrams { get; }

    /// <summary>Character n-grams of each word (none when their maxn is 0).</summary>
    public CharacterNgrams Ngrams { get; }

    /// <summary>Rows of the n-gram hash table, shared by word and character n-grams.</summary>
    public int Buckets => Ngrams.Buckets;

    /// <summary>What starts a label token that is not in the dictionary.</summary>
    public string LabelPrefix { get; }

    /// <summary>Rows of the input matrix: one per word, then one per bucket (or per bucket a pruned index kept).</summary>
    public int InputRows => WordCount + Entries.BucketRows(Buckets);

    /// <summary>Counts the words and labels of a labelled file in one pass and keeps those frequent enough.</summary>
    /// <exception cref="CorpusException">The file is empty, or no line carries a label that is kept.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static ClassifierDictionary Build(string path, ClassifierOptions options)
    {
        options.Validate();
        var counts = new Counts(options.LabelPrefix);
        bool anyLine = false;
        foreach (string line in File.ReadLines(path))
        {
            anyLine = true;
            LabelledLine.ForEachToken(line, ref counts, static (token, ref state) => state.Add(token));
        }
        if (!anyLine) throw new CorpusException($"the labelled file '{path}' is empty");
        if (counts.LabelCounts.Count == 0)
            throw new CorpusException($"no line of '{path}' carries a label (a token starting with '{options.LabelPrefix}')");
        if (!counts.LabelCounts.Any(pair => pair.Value >= options.MinCountLabel))
            throw new CorpusException($"no label of '{path}' occurs at least {options.MinCountLabel} times (minCountLabel)");
        // By descending count, as fastText sorts its entries (ties, which fastText leaves in no set order, in byte order).
        Vocabulary words = Vocabulary.FromCounts(counts.WordCounts.Select(pair => (pair.Key, pair.Value)), options.MinCount);
        Vocabulary labels = Vocabulary.FromCounts(counts.LabelCounts.Select(pair => (pair.Key, pair.Value)), options.MinCountLabel);
        return new ClassifierDictionary(FastTextDictionary.FromVocabulary(words, labels, counts.Tokens), options.WordNgrams,
            options.Ngrams(), options.LabelPrefix);
    }

    /// <summary>
    /// Appends the features of <paramref name="line"/> to <paramref name="features"/> and the ids of its known
    /// labels to <paramref name="labels"/>; returns how many tokens the line had (labels and end of line included,
    /// fastText's measure of progress).
    /// </summary>
    public int Encode(ReadOnlySpan<char> line, List<int> features, List<int> labels)
    {
        var state = new LineFeatures(this, features, labels);
        LabelledLine.ForEachToken(line, ref state, static (token, ref s) => s.Add(token));
        AddWordNgrams(state.Hashes, features);
        return state.Tokens;
    }

    /// <summary>
    /// Chains the hashes of each run of 2..n consecutive words into a bucket. A word's 32-bit hash is
    /// sign-extended to 64 bits first, because fastText keeps hashes as int32 and widens them to uint64.
    /// </summary>
    private void AddWordNgrams(List<int> hashes, List<int> features)
    {
        for (int i = 0; i < hashes.Count; i++)
        {
            ulong hash = (ulong)(long)hashes[i];
            for (int j = i + 1; j < hashes.Count && j < i + WordNgrams; j++)
            {
                hash = hash * NgramHashMultiplier + (ulong)(long)hashes[j];
                int row = Entries.BucketRow((int)(hash % (ulong)Buckets));
                if (row >= 0) features.Add(row);
            }
        }
    }

    /// <summary>
    /// fastText's hash of a word (FNV-1a over its UTF-8 bytes), and the input rows of its character n-grams appended
    /// to <paramref name="features"/>; the end of line has none, as in fastText.
    /// </summary>
    private uint HashAndNgrams(ReadOnlySpan<char> word, List<int> features, List<int> buckets)
    {
        int maxBytes = Encoding.UTF8.GetMaxByteCount(word.Length);
        byte[]? rented = maxBytes > StackTokenBytes ? ArrayPool<byte>.Shared.Rent(maxBytes) : null;
        Span<byte> utf8 = rented ?? stackalloc byte[StackTokenBytes];
        utf8 = utf8[..Encoding.UTF8.GetBytes(word, utf8)];
        uint hash = FastTextHash.Compute(utf8);
        if (Ngrams.MaxLength > 0 && !word.SequenceEqual(LabelledLine.EndOfLine))
        {
            buckets.Clear();
            Ngrams.AppendBuckets(utf8, buckets);
            foreach (int bucket in buckets)
            {
                int row = Entries.BucketRow(bucket);
                if (row >= 0) features.Add(row);
            }
        }
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        return hash;
    }

    /// <summary>Word and label counts of the file being read, and its token count (fastText's ntokens).</summary>
    private struct Counts(string labelPrefix)
    {
        public readonly Dictionary<string, long> WordCounts = new(StringComparer.Ordinal);
        public readonly Dictionary<string, long> LabelCounts = new(StringComparer.Ordinal);
        public long Tokens;

        public void Add(ReadOnlySpan<char> token)
        {
            Tokens++;
            Dictionary<string, long> counts = token.StartsWith(labelPrefix, StringComparison.Ordinal) ? LabelCounts : WordCounts;
            var lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
            lookup.TryGetValue(token, out long count);
            lookup[token] = count + 1;
        }
    }

    /// <summary>The features, labels, word hashes and token count of the line being encoded.</summary>
    private struct LineFeatures(ClassifierDictionary dictionary, List<int> features, List<int> labels)
    {
        public readonly List<int> Hashes = [];
        private readonly List<int> _buckets = [];
        public int Tokens;

        public void Add(ReadOnlySpan<char> token)
        {
            Tokens++;
            int id = dictionary.Entries.IdOf(token);
            bool isLabel = id >= 0
                ? dictionary.Entries.TypeOf(id) == FastTextEntryType.Label
                : token.StartsWith(dictionary.LabelPrefix, StringComparison.Ordinal);
            if (isLabel)
            {
                if (id >= 0) labels.Add(id - dictionary.WordCount);
                return;
            }
            if (id >= 0) features.Add(id);
            // Unknown words still take part in n-grams, as in fastText.
            Hashes.Add((int)dictionary.HashAndNgrams(token, features, _buckets));
        }
    }
}
