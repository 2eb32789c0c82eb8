using System.Buffers;
using System.Text;
using EmbedEngine.Text;

namespace EmbedEngine.Models.FastText.Supervised;

/// <summary>
/// The words and labels of a classifier, and how a line turns into features: the ids of its known words, then
/// one hashed bucket per word n-gram (2..<see cref="WordNgrams"/>), placed after the words as rows
/// <c>Words.Count + bucket</c> of the input matrix, exactly as fastText numbers them. A pruned dictionary
/// (<c>quantize -cutoff</c>) keeps only some buckets, each mapped to its own row after the words; n-grams that
/// hash to other buckets are dropped, as fastText's pruneidx does.
/// </summary>
public sealed class ClassifierDictionary
{
    /// <summary>fastText's multiplier for chaining word hashes into an n-gram hash.</summary>
    private const ulong NgramHashMultiplier = 116_049_371;

    /// <summary>Longest token, in UTF-8 bytes, hashed from the stack; longer ones rent a buffer.</summary>
    private const int StackTokenBytes = 256;

    /// <summary>Makes a dictionary from words and labels already counted.</summary>
    /// <param name="words">The words, <see cref="LabelledLine.EndOfLine"/> included, by descending count.</param>
    /// <param name="labels">The labels, prefix included, by descending count.</param>
    /// <param name="wordNgrams">Longest word n-gram.</param>
    /// <param name="buckets">Rows of the n-gram hash table (0 when <paramref name="wordNgrams"/> is 1).</param>
    /// <param name="labelPrefix">What starts a label token.</param>
    /// <param name="keptBuckets">For a pruned dictionary, the row after the words of every bucket kept; null if not pruned.</param>
    public ClassifierDictionary(Vocabulary words, Vocabulary labels, int wordNgrams, int buckets, string labelPrefix,
        IReadOnlyDictionary<int, int>? keptBuckets = null)
    {
        Words = words;
        Labels = labels;
        WordNgrams = wordNgrams;
        Buckets = buckets;
        LabelPrefix = labelPrefix;
        KeptBuckets = keptBuckets;
    }

    /// <summary>The words kept, by descending count.</summary>
    public Vocabulary Words { get; }

    /// <summary>The labels kept, by descending count; label ids are indices here.</summary>
    public Vocabulary Labels { get; }

    /// <summary>Longest word n-gram used as a feature.</summary>
    public int WordNgrams { get; }

    /// <summary>Rows of the n-gram hash table.</summary>
    public int Buckets { get; }

    /// <summary>What starts a label token.</summary>
    public string LabelPrefix { get; }

    /// <summary>Bucket to row after the words, for the buckets a pruned dictionary keeps; null when not pruned.</summary>
    public IReadOnlyDictionary<int, int>? KeptBuckets { get; }

    /// <summary>Rows of the input matrix: one per word, then one per bucket (per kept bucket once pruned).</summary>
    public int InputRows => Words.Count + (KeptBuckets?.Count ?? Buckets);

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
        Vocabulary words = Vocabulary.FromCounts(counts.WordCounts.Select(pair => (pair.Key, pair.Value)), options.MinCount);
        Vocabulary labels = Vocabulary.FromCounts(counts.LabelCounts.Select(pair => (pair.Key, pair.Value)), options.MinCountLabel);
        return new ClassifierDictionary(words, labels, options.WordNgrams, options.EffectiveBuckets, options.LabelPrefix);
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
                int bucket = (int)(hash % (ulong)Buckets);
                if (KeptBuckets is null) features.Add(Words.Count + bucket);
                else if (KeptBuckets.TryGetValue(bucket, out int kept)) features.Add(Words.Count + kept);
            }
        }
    }

    /// <summary>fastText's hash of a token and its id among <paramref name="vocabulary"/> (-1 if absent).</summary>
    private static int Lookup(ReadOnlySpan<char> token, Vocabulary vocabulary, out uint hash)
    {
        int maxBytes = Encoding.UTF8.GetMaxByteCount(token.Length);
        byte[]? rented = maxBytes > StackTokenBytes ? ArrayPool<byte>.Shared.Rent(maxBytes) : null;
        Span<byte> utf8 = rented ?? stackalloc byte[StackTokenBytes];
        int length = Encoding.UTF8.GetBytes(token, utf8);
        hash = FastTextHash.Compute(utf8[..length]);
        vocabulary.TryGetId(utf8[..length], out int id);
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        return id;
    }

    /// <summary>Word and label counts of the file being read.</summary>
    private struct Counts(string labelPrefix)
    {
        public readonly Dictionary<string, long> WordCounts = new(StringComparer.Ordinal);
        public readonly Dictionary<string, long> LabelCounts = new(StringComparer.Ordinal);

        public readonly void Add(ReadOnlySpan<char> token)
        {
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
        public int Tokens;

        public void Add(ReadOnlySpan<char> token)
        {
            Tokens++;
            if (token.StartsWith(dictionary.LabelPrefix, StringComparison.Ordinal))
            {
                int label = Lookup(token, dictionary.Labels, out _);
                if (label >= 0) labels.Add(label);
                return;
            }
            int word = Lookup(token, dictionary.Words, out uint hash);
            if (word >= 0) features.Add(word);
            // Unknown words still take part in n-grams, as in fastText.
            Hashes.Add((int)hash);
        }
    }
}
