namespace EmbedEngine.Text;

/// <summary>
/// Counts windowed word co-occurrences of a corpus in memory, as GloVe's cooccur does: one line is one
/// sentence and no window crosses a line break.
/// </summary>
public static class CooccurrenceCounter
{
    /// <summary>
    /// The most ids read at once; a longer line is split there and no window crosses the split. Far above any
    /// natural sentence, so only unbroken token streams are affected.
    /// </summary>
    internal const int MaxSentenceLength = 1 << 20;

    /// <summary>
    /// Counts, for each word at position i of a sentence and each context word at position j in [i - window, i),
    /// a weight for (word i, word j), and when symmetric also for (word j, word i). Words outside the vocabulary
    /// are dropped before windowing, as in GloVe.
    /// </summary>
    /// <param name="corpusPath">The corpus to read (plain or gzip).</param>
    /// <param name="vocabulary">Maps words to ids, which are the matrix's rows and columns.</param>
    /// <param name="options">Window, symmetry and distance weighting.</param>
    /// <returns>A <see cref="Vocabulary.Count"/>-square matrix of the summed weights.</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="CorpusException">The corpus is missing, unreadable or corrupt.</exception>
    public static CooccurrenceMatrix Count(string corpusPath, Vocabulary vocabulary, CooccurrenceOptions options) =>
        Count(corpusPath, vocabulary, options, 1 << 16);

    /// <summary>As <see cref="Count(string, Vocabulary, CooccurrenceOptions)"/>, with the table's first size.</summary>
    internal static CooccurrenceMatrix Count(
        string corpusPath, Vocabulary vocabulary, CooccurrenceOptions options, int initialCapacity)
    {
        ArgumentNullException.ThrowIfNull(corpusPath);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        int window = options.Window;
        var weights = new float[window + 1];
        for (int distance = 1; distance <= window; distance++)
            weights[distance] = options.DistanceWeighting ? 1f / distance : 1f;

        var table = new CooccurrenceTable(initialCapacity);
        using (var reader = new SentenceReader(corpusPath, vocabulary, MaxSentenceLength))
        {
            var ids = new int[MaxSentenceLength];
            int length;
            while ((length = reader.Read(ids, out _)) >= 0)
                AddSentence(table, ids.AsSpan(0, length), window, weights, options.Symmetric);
        }
        return table.ToMatrix(vocabulary.Count);
    }

    private static void AddSentence(CooccurrenceTable table, ReadOnlySpan<int> ids, int window, float[] weights, bool symmetric)
    {
        for (int i = 1; i < ids.Length; i++)
        {
            int word = ids[i];
            for (int j = Math.Max(0, i - window); j < i; j++)
            {
                float weight = weights[i - j];
                table.Add(word, ids[j], weight);
                if (symmetric) table.Add(ids[j], word, weight);
            }
        }
    }
}
