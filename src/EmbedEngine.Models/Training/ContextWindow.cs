namespace EmbedEngine.Models.Training;

/// <summary>word2vec's context window, shared by its CPU and GPU workers.</summary>
internal static class ContextWindow
{
    /// <summary>
    /// Draws word2vec.c's dynamic window (a uniformly shrunk radius, which weights near words more) around
    /// <paramref name="position"/> and copies the words in it, the centre left out, into <paramref name="context"/>
    /// (2 × window long); returns how many.
    /// </summary>
    public static int Gather(ReadOnlySpan<int> kept, int position, int window, ref FastRandom random, Span<int> context)
    {
        int radius = window - random.NextInt(window);
        int count = 0;
        int from = Math.Max(0, position - radius), to = Math.Min(kept.Length - 1, position + radius);
        for (int c = from; c <= to; c++)
            if (c != position) context[count++] = kept[c];
        return count;
    }
}
