namespace EmbedEngine.Models.Training;

/// <summary>
/// A batch of encoded sentences handed from the reader thread to a worker: word ids back to back, and where
/// each sentence ends. Chunks are recycled, so steady-state training allocates nothing.
/// </summary>
public sealed class SentenceChunk
{
    private readonly int[] _ids;
    private readonly int[] _ends;

    /// <summary>Creates an empty chunk able to hold <paramref name="capacity"/> ids.</summary>
    public SentenceChunk(int capacity, int maxSentenceLength)
    {
        _ids = new int[capacity];
        _ends = new int[capacity]; // every sentence holds at least one id
        MaxSentenceLength = maxSentenceLength;
    }

    /// <summary>The longest sentence this chunk accepts.</summary>
    public int MaxSentenceLength { get; }

    /// <summary>Sentences held.</summary>
    public int SentenceCount { get; private set; }

    /// <summary>Ids held, over all sentences.</summary>
    public int IdCount { get; private set; }

    /// <summary>The epoch (0-based) these sentences belong to.</summary>
    public int Epoch { get; set; }

    /// <summary>Whether one more sentence of maximal length still fits.</summary>
    public bool HasRoomForSentence => IdCount + MaxSentenceLength <= _ids.Length;

    /// <summary>The free space where the next sentence is read to.</summary>
    public Span<int> FreeSpace => _ids.AsSpan(IdCount, MaxSentenceLength);

    /// <summary>Commits the <paramref name="length"/> ids just written into <see cref="FreeSpace"/> as one sentence.</summary>
    public void CommitSentence(int length)
    {
        IdCount += length;
        _ends[SentenceCount++] = IdCount;
    }

    /// <summary>Sentence <paramref name="index"/>.</summary>
    public ReadOnlySpan<int> Sentence(int index)
    {
        int start = index == 0 ? 0 : _ends[index - 1];
        return _ids.AsSpan(start, _ends[index] - start);
    }

    /// <summary>Empties the chunk for reuse.</summary>
    public void Clear()
    {
        SentenceCount = 0;
        IdCount = 0;
    }
}
