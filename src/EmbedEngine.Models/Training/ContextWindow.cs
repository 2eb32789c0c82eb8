namespace EmbedEngine.Models.Training;

/// <summary>
/// The windows of a subsampled sentence as word2vec walks them (its CPU and GPU workers alike): at each position
/// word2vec.c's dynamic window, a uniformly shrunk radius that weights near words more, and the words in it, the
/// centre left out; positions whose window is empty are skipped.
/// </summary>
/// <param name="kept">The sentence after subsampling.</param>
/// <param name="window">The largest radius.</param>
/// <param name="context">Room for the words of one window, 2 × window long.</param>
internal ref struct ContextWindow(ReadOnlySpan<int> kept, int window, Span<int> context)
{
    private readonly ReadOnlySpan<int> _kept = kept;
    private readonly Span<int> _context = context;
    private int _position = -1;
    private int _count;

    /// <summary>The centre word of the current window.</summary>
    public readonly int Word => _kept[_position];

    /// <summary>The words around it.</summary>
    public readonly ReadOnlySpan<int> Context => _context[.._count];

    /// <summary>Moves to the next position with a non-empty window; false at the end of the sentence.</summary>
    public bool MoveNext(ref FastRandom random)
    {
        while (++_position < _kept.Length)
        {
            int radius = window - random.NextInt(window);
            int from = Math.Max(0, _position - radius), to = Math.Min(_kept.Length - 1, _position + radius);
            _count = 0;
            for (int c = from; c <= to; c++)
                if (c != _position) _context[_count++] = _kept[c];
            if (_count > 0) return true;
        }
        return false;
    }
}
