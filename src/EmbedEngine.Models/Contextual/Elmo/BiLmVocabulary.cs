namespace EmbedEngine.Models.Contextual.Elmo;

/// <summary>The softmax vocabulary of a bidirectional language model, from a training text's word counts.</summary>
public static class BiLmVocabulary
{
    /// <summary>
    /// <see cref="BiLmConfig.Unknown"/>, then the words of <paramref name="words"/> counted at least
    /// <paramref name="minCount"/> times, most frequent first (ties in first-seen order), at most
    /// <paramref name="maxSize"/> (0: no limit) in all.
    /// </summary>
    public static IReadOnlyList<string> Build(IReadOnlyList<string> words, int minCount, int maxSize = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minCount);
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        var counts = new Dictionary<string, (int Count, int First)>(StringComparer.Ordinal);
        for (int i = 0; i < words.Count; i++)
            counts[words[i]] = counts.TryGetValue(words[i], out var seen) ? (seen.Count + 1, seen.First) : (1, i);
        counts.Remove(BiLmConfig.Unknown);
        IEnumerable<string> kept = counts.Where(c => c.Value.Count >= minCount).OrderByDescending(c => c.Value.Count).ThenBy(c => c.Value.First).Select(c => c.Key);
        if (maxSize > 0) kept = kept.Take(maxSize - 1);
        return [BiLmConfig.Unknown, .. kept];
    }
}
