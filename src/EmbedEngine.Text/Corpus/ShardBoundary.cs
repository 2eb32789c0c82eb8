namespace EmbedEngine.Text;

/// <summary>Where the byte ranges of a plain corpus's shards may be cut.</summary>
public enum ShardBoundary
{
    /// <summary>Between any two tokens, as word2vec.c does: a line cut by a range boundary becomes two sentences.</summary>
    AnyToken,

    /// <summary>
    /// Only at line starts: each line goes whole to the shard its first byte lies in, so the sentences are the
    /// same whatever the shard count (a corpus that is one long line is then read by one shard).
    /// </summary>
    LineStart,
}
