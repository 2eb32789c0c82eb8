namespace EmbedEngine.Text;

/// <summary>
/// Reads a corpus as sentences of vocabulary ids for training: one line is one sentence, words outside the
/// vocabulary are dropped, and a line longer than the sentence limit continues in the next sentence, as with
/// word2vec.c's MAX_SENTENCE_LENGTH. Not thread-safe: one reader per training thread.
/// </summary>
public sealed class SentenceReader : IDisposable
{
    /// <summary>word2vec.c's MAX_SENTENCE_LENGTH.</summary>
    public const int DefaultMaxSentenceLength = 1000;

    private readonly CorpusReader _corpus;
    private readonly Vocabulary _vocabulary;
    private readonly int _maxSentenceLength;

    /// <summary>Opens the whole corpus.</summary>
    /// <param name="corpusPath">The corpus the vocabulary was built from (or any other).</param>
    /// <param name="vocabulary">Maps words to ids; other words are dropped.</param>
    /// <param name="maxSentenceLength">The most ids one <see cref="Read"/> returns.</param>
    /// <exception cref="CorpusException">The corpus is missing or unreadable.</exception>
    public SentenceReader(string corpusPath, Vocabulary vocabulary, int maxSentenceLength = DefaultMaxSentenceLength)
        : this(corpusPath, vocabulary, maxSentenceLength, 0, 1)
    {
    }

    /// <summary>Opens one shard of the corpus, for one of several training threads (see <see cref="CorpusReader.Open(string, int, int)"/>).</summary>
    /// <param name="corpusPath">The corpus the vocabulary was built from (or any other).</param>
    /// <param name="vocabulary">Maps words to ids; other words are dropped.</param>
    /// <param name="maxSentenceLength">The most ids one <see cref="Read"/> returns.</param>
    /// <param name="shardIndex">Which shard, from 0 to <paramref name="shardCount"/> - 1.</param>
    /// <param name="shardCount">How many shards the corpus is split into.</param>
    /// <exception cref="CorpusException">The corpus is missing or unreadable.</exception>
    public SentenceReader(string corpusPath, Vocabulary vocabulary, int maxSentenceLength, int shardIndex, int shardCount)
        : this(corpusPath, vocabulary, maxSentenceLength, shardIndex, shardCount, ShardBoundary.AnyToken)
    {
    }

    /// <summary>Opens one shard of the corpus cut where <paramref name="boundary"/> allows (see <see cref="CorpusReader.Open(string, int, int, ShardBoundary)"/>).</summary>
    /// <param name="corpusPath">The corpus the vocabulary was built from (or any other).</param>
    /// <param name="vocabulary">Maps words to ids; other words are dropped.</param>
    /// <param name="maxSentenceLength">The most ids one <see cref="Read"/> returns.</param>
    /// <param name="shardIndex">Which shard, from 0 to <paramref name="shardCount"/> - 1.</param>
    /// <param name="shardCount">How many shards the corpus is split into.</param>
    /// <param name="boundary">Whether shards may cut lines.</param>
    /// <exception cref="CorpusException">The corpus is missing or unreadable.</exception>
    public SentenceReader(string corpusPath, Vocabulary vocabulary, int maxSentenceLength, int shardIndex, int shardCount,
        ShardBoundary boundary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSentenceLength, 1);
        _vocabulary = vocabulary;
        _maxSentenceLength = maxSentenceLength;
        _corpus = CorpusReader.Open(corpusPath, shardIndex, shardCount, boundary);
    }

    /// <summary>Bytes of the file consumed so far (see <see cref="CorpusReader.Position"/>).</summary>
    public long Position => _corpus.Position;

    /// <summary>The file's (or shard's) length in bytes.</summary>
    public long Length => _corpus.Length;

    /// <summary>How many invalid UTF-8 sequences have been replaced so far.</summary>
    public long InvalidSequences => _corpus.InvalidSequences;

    /// <summary>Reads the next sentence.</summary>
    /// <param name="ids">Receives the ids; room for the sentence limit avoids cutting sentences shorter than it.</param>
    /// <param name="tokensRead">Tokens consumed, in the vocabulary or not, for the learning-rate schedule.</param>
    /// <returns>
    /// How many ids were written, at most the smaller of the sentence limit and <paramref name="ids"/>' length;
    /// 0 when a line held no word of the vocabulary (skip it, but count <paramref name="tokensRead"/>);
    /// -1 at the end of the corpus.
    /// </returns>
    /// <exception cref="CorpusException">The file cannot be read further or its gzip data is corrupt.</exception>
    public int Read(Span<int> ids, out int tokensRead)
    {
        int limit = Math.Min(ids.Length, _maxSentenceLength);
        if (limit == 0) throw new ArgumentException("There is no room for even one id.", nameof(ids));
        int count = 0;
        tokensRead = 0;
        while (_corpus.Read(out ReadOnlySpan<byte> token, out bool lineBreak))
        {
            if (lineBreak)
            {
                // A line cut exactly at the limit leaves only its line break for this call: not a sentence.
                if (tokensRead > 0) return count;
                continue;
            }
            tokensRead++;
            if (!_vocabulary.TryGetId(token, out int id)) continue;
            ids[count++] = id;
            if (count == limit) return count;
        }
        // The reader ends every line with a line break, so nothing is pending here.
        return tokensRead > 0 ? count : -1;
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _corpus.Dispose();
}
