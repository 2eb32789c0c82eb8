namespace EmbedEngine.Text;

/// <summary>
/// Counts words in bounded memory, as word2vec.c's LearnVocab does: whenever the table outgrows its limit, the
/// rarest words are pruned (ReduceVocab) with a threshold that rises by one at each pruning. Counts of words
/// that survive may then be underestimates, which only matters near the pruning threshold.
/// </summary>
internal sealed class WordCounter
{
    /// <summary>word2vec.c prunes at 0.7 of its 30M-entry hash table.</summary>
    internal const int DefaultMaxDistinctWords = 21_000_000;

    /// <summary>Prunes before the words' bytes pass 1 GiB, which also keeps every byte offset an int.</summary>
    internal const long DefaultMaxWordBytes = 1L << 30;

    private readonly int _maxDistinctWords;
    private readonly long _maxWordBytes;

    public WordCounter(int maxDistinctWords = DefaultMaxDistinctWords, long maxWordBytes = DefaultMaxWordBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDistinctWords, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWordBytes, 1);
        _maxDistinctWords = maxDistinctWords;
        _maxWordBytes = maxWordBytes;
    }

    /// <summary>The counts; words pruned so far are gone from it.</summary>
    public Utf8WordTable Table { get; } = new(1 << 16);

    /// <summary>Every token counted, pruned or not.</summary>
    public long TotalTokens { get; private set; }

    /// <summary>Words counted fewer times than this have been pruned at some point; 1 when nothing was pruned.</summary>
    public long PrunedBelow { get; private set; } = 1;

    public void Add(ReadOnlySpan<byte> word)
    {
        TotalTokens++;
        if (Table.Increment(word) && (Table.Count > _maxDistinctWords || Table.ByteCount > _maxWordBytes))
        {
            PrunedBelow++;
            Table.RemoveBelow(PrunedBelow);
        }
    }
}
