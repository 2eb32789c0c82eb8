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
    public static IReadOnlyList<SimCseExample> Unsupervised(IEnumerable<string> lines, int maxWords) =>
        [.. lines.SelectMany(line => Runs(line, maxWords)).Select(run => new SimCseExample(run))];

    /// <summary>
    /// Unsupervised examples whose positive is the next run of the same line (as DeCLUTR's neighbouring spans): two
    /// pieces of one paragraph should be nearer than pieces of others, which teaches topic rather than only dropout
    /// invariance. A line's last run pairs with none; one-run lines give nothing.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWords"/> is not positive.</exception>
    public static IReadOnlyList<SimCseExample> Neighbours(IEnumerable<string> lines, int maxWords)
    {
        var examples = new List<SimCseExample>();
        foreach (string line in lines)
        {
            string[] runs = Runs(line, maxWords);
            for (int i = 0; i + 1 < runs.Length; i++) examples.Add(new SimCseExample(runs[i], runs[i + 1]));
        }
        return examples;
    }

    /// <summary>A line's words in consecutive runs of at most <paramref name="maxWords"/>.</summary>
    private static string[] Runs(string line, int maxWords)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxWords);
        string[] words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var runs = new string[(words.Length + maxWords - 1) / maxWords];
        for (int r = 0; r < runs.Length; r++)
            runs[r] = string.Join(' ', words, r * maxWords, Math.Min(maxWords, words.Length - r * maxWords));
        return runs;
    }
}
