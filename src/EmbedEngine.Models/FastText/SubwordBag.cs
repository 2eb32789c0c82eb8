using EmbedEngine.Text;

namespace EmbedEngine.Models.FastText;

/// <summary>fastText CBOW's input, shared by its CPU and GPU workers.</summary>
internal static class SubwordBag
{
    /// <summary>
    /// Copies the subword rows of every word in kept[from..to] but the centre <paramref name="position"/> into
    /// <paramref name="bag"/> (2 × window × the longest word's rows); returns them.
    /// </summary>
    public static ReadOnlySpan<int> Gather(SubwordTable subwords, ReadOnlySpan<int> kept, int position, int from, int to, Span<int> bag)
    {
        int count = 0;
        for (int c = from; c <= to; c++)
        {
            if (c == position) continue;
            ReadOnlySpan<int> rows = subwords.Rows(kept[c]);
            rows.CopyTo(bag[count..]);
            count += rows.Length;
        }
        return bag[..count];
    }
}
