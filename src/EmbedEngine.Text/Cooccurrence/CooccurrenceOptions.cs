namespace EmbedEngine.Text;

/// <summary>How <see cref="CooccurrenceCounter"/> counts word pairs.</summary>
public sealed record CooccurrenceOptions
{
    /// <summary>GloVe cooccur's default memory limit, 4 GiB.</summary>
    public const long DefaultMemoryBytes = 4L << 30;

    /// <summary>How many words before each word are its context (GloVe's window_size); at least 1.</summary>
    public int Window { get; init; } = 10;

    /// <summary>
    /// True (GloVe's symmetric = 1): each pair counts in both directions, (word, context) and (context, word).
    /// False: only (word, earlier context word).
    /// </summary>
    public bool Symmetric { get; init; } = true;

    /// <summary>True (as GloVe does): a pair at distance d adds 1/d. False: every pair in the window adds 1.</summary>
    public bool DistanceWeighting { get; init; } = true;

    /// <summary>Threads counting in parallel, each over its own lines of the corpus; the matrix does not depend on it.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>
    /// Bytes the counting may hold (tables, buffers and the merge), like GloVe's -memory. When the tables reach
    /// it they are spilled to disk as sorted runs and merged at the end; the matrix does not depend on it.
    /// At least <see cref="CooccurrenceCounter.MinimumMemoryBytes"/>.
    /// </summary>
    public long MemoryBytes { get; init; } = DefaultMemoryBytes;

    /// <summary>Where spilled runs go (null: the system's temporary folder); removed when counting ends.</summary>
    public string? TemporaryFolder { get; init; }

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message says which and why.</exception>
    public void Validate()
    {
        if (Window < 1)
            throw new ArgumentException(
                $"The co-occurrence window must be at least 1 word, but it is {Window}.", nameof(Window));
        if (Threads < 1)
            throw new ArgumentException($"Counting needs at least 1 thread, but {Threads} were asked for.", nameof(Threads));
        long minimum = CooccurrenceCounter.MinimumMemoryBytes(Threads);
        if (MemoryBytes < minimum)
            throw new ArgumentException(
                $"A memory budget of {MemoryBytes / (1024.0 * 1024):0.##} MiB cannot hold one block of counts per thread: " +
                $"{Threads} thread(s) need at least {minimum / (1024.0 * 1024):0.##} MiB.", nameof(MemoryBytes));
    }
}
