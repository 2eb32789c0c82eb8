namespace EmbedEngine.Models.Sentence.SimCse;

/// <summary>
/// One training example: an anchor sentence, the sentence it should be nearest (null: the anchor itself, read a
/// second time under other dropout masks, as unsupervised SimCSE does) and optionally a hard negative it should be
/// far from (a contradiction, in supervised SimCSE).
/// </summary>
public sealed record SimCseExample(string Anchor, string? Positive = null, string? HardNegative = null)
{
    /// <summary>
    /// Unsupervised examples from text lines: each line's words in consecutive runs of at most
    /// <paramref name="maxWords"/> (a corpus without sentence punctuation, one paragraph a line, becomes
    /// sentence-sized pieces); blank lines are skipped.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWords"/> is not positive.</exception>
    public static IReadOnlyList<SimCseExample> Unsupervised(IEnumerable<string> lines, int maxWords)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxWords);
        var examples = new List<SimCseExample>();
        foreach (string line in lines)
        {
            string[] words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            for (int start = 0; start < words.Length; start += maxWords)
                examples.Add(new SimCseExample(string.Join(' ', words, start, Math.Min(maxWords, words.Length - start))));
        }
        return examples;
    }
}
