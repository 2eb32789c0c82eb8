namespace EmbedEngine.Text;

/// <summary>How <see cref="CooccurrenceCounter"/> counts word pairs.</summary>
public sealed record CooccurrenceOptions
{
    /// <summary>How many words before each word are its context (GloVe's window_size); at least 1.</summary>
    public int Window { get; init; } = 10;

    /// <summary>
    /// True (GloVe's symmetric = 1): each pair counts in both directions, (word, context) and (context, word).
    /// False: only (word, earlier context word).
    /// </summary>
    public bool Symmetric { get; init; } = true;

    /// <summary>True (as GloVe does): a pair at distance d adds 1/d. False: every pair in the window adds 1.</summary>
    public bool DistanceWeighting { get; init; } = true;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message says which and why.</exception>
    public void Validate()
    {
        if (Window < 1)
            throw new ArgumentException(
                $"The co-occurrence window must be at least 1 word, but it is {Window}.", nameof(Window));
    }
}
