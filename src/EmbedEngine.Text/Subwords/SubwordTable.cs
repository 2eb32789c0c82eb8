namespace EmbedEngine.Text;

/// <summary>
/// Every vocabulary word's input rows in fastText's layout (the word's own row, then nwords + bucket for each of
/// its character n-grams, repeats kept as fastText keeps them), computed once and stored flat, so training hashes
/// nothing.
/// </summary>
public sealed class SubwordTable
{
    private readonly int[] _starts;
    private readonly int[] _rows;

    private SubwordTable(int[] starts, int[] rows, int wordCount, CharacterNgrams ngrams, int maxLength)
    {
        _starts = starts;
        _rows = rows;
        WordCount = wordCount;
        Ngrams = ngrams;
        MaxLength = maxLength;
    }

    /// <summary>Vocabulary words; n-gram rows start at this index.</summary>
    public int WordCount { get; }

    /// <summary>Input rows in all: words, then buckets.</summary>
    public int InputRows => WordCount + Ngrams.Buckets;

    /// <summary>The n-gram scheme.</summary>
    public CharacterNgrams Ngrams { get; }

    /// <summary>The most rows any one word has.</summary>
    public int MaxLength { get; }

    /// <summary>Builds the rows of every word of <paramref name="vocabulary"/>.</summary>
    public static SubwordTable Build(Vocabulary vocabulary, CharacterNgrams ngrams)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(ngrams);
        var starts = new int[vocabulary.Count + 1];
        var rows = new List<int>(vocabulary.Count * 8);
        var buckets = new List<int>();
        int maxLength = 0;
        for (int id = 0; id < vocabulary.Count; id++)
        {
            rows.Add(id);
            buckets.Clear();
            ngrams.AppendBuckets(vocabulary.Utf8Word(id), buckets);
            foreach (int bucket in buckets) rows.Add(vocabulary.Count + bucket);
            starts[id + 1] = rows.Count;
            maxLength = Math.Max(maxLength, 1 + buckets.Count);
        }
        return new SubwordTable(starts, [.. rows], vocabulary.Count, ngrams, maxLength);
    }

    /// <summary>The input rows of vocabulary word <paramref name="id"/>: its own row first.</summary>
    public ReadOnlySpan<int> Rows(int id) => _rows.AsSpan(_starts[id], _starts[id + 1] - _starts[id]);
}
