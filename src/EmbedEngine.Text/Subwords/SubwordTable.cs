namespace EmbedEngine.Text;

/// <summary>
/// Every vocabulary word's input rows (the word's own row, then a row for each of its character n-grams, repeats
/// kept as fastText keeps them), computed once and stored flat, so training hashes nothing. Only the buckets some
/// vocabulary n-gram hashes to get a row: no other bucket can receive a gradient, and a 15k-word vocabulary hits a
/// small share of fastText's 2M. Bucket rows follow the word rows in the order the buckets are first met;
/// <see cref="RowOfBucket"/> maps a bucket to its row.
/// </summary>
public sealed class SubwordTable
{
    private readonly int[] _starts;
    private readonly int[] _rows;
    private readonly float[] _averageShifts;

    private readonly int[] _rowOfBucket;
    private readonly int[] _bucketOfRow;

    private SubwordTable(int[] starts, int[] rows, int[] rowOfBucket, int[] bucketOfRow, int wordCount, CharacterNgrams ngrams, int maxLength)
    {
        _starts = starts;
        _rows = rows;
        _averageShifts = new float[wordCount];
        for (int id = 0; id < wordCount; id++) _averageShifts[id] = ComputeAverageShift(Rows(id));
        _rowOfBucket = rowOfBucket;
        _bucketOfRow = bucketOfRow;
        WordCount = wordCount;
        Ngrams = ngrams;
        MaxLength = maxLength;
    }

    /// <summary>Vocabulary words; n-gram rows start at this index.</summary>
    public int WordCount { get; }

    /// <summary>Input rows in all: words, then the buckets some word's n-grams hit.</summary>
    public int InputRows => WordCount + _bucketOfRow.Length;

    /// <summary>Buckets with a row.</summary>
    public int TouchedBuckets => _bucketOfRow.Length;

    /// <summary>The input row of <paramref name="bucket"/>, or −1 when no vocabulary n-gram hashes to it.</summary>
    public int RowOfBucket(int bucket) => _rowOfBucket[bucket];

    /// <summary>The bucket → row map: −1 for a bucket without a row.</summary>
    public ReadOnlyMemory<int> RowOfEveryBucket => _rowOfBucket;

    /// <summary>The bucket that input row <paramref name="row"/> (at least <see cref="WordCount"/>) stands for.</summary>
    public int BucketOfRow(int row) => _bucketOfRow[row - WordCount];

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
        var rowOfBucket = new int[ngrams.Buckets];
        Array.Fill(rowOfBucket, -1);
        var bucketOfRow = new List<int>();
        int maxLength = 0;
        for (int id = 0; id < vocabulary.Count; id++)
        {
            rows.Add(id);
            buckets.Clear();
            ngrams.AppendBuckets(vocabulary.Utf8Word(id), buckets);
            foreach (int bucket in buckets)
            {
                if (rowOfBucket[bucket] < 0)
                {
                    rowOfBucket[bucket] = vocabulary.Count + bucketOfRow.Count;
                    bucketOfRow.Add(bucket);
                }
                rows.Add(rowOfBucket[bucket]);
            }
            starts[id + 1] = rows.Count;
            maxLength = Math.Max(maxLength, 1 + buckets.Count);
        }
        return new SubwordTable(starts, [.. rows], rowOfBucket, [.. bucketOfRow], vocabulary.Count, ngrams, maxLength);
    }

    /// <summary>The input rows of vocabulary word <paramref name="id"/>: its own row first.</summary>
    public ReadOnlySpan<int> Rows(int id) => _rows.AsSpan(_starts[id], _starts[id + 1] - _starts[id]);

    /// <summary>
    /// How far the average of word <paramref name="id"/>'s rows moves, in units of g, when g is added to every listed
    /// row: Σm²/n over its distinct rows of multiplicity m, which is 1 unless hashing repeats a row.
    /// </summary>
    public float AverageShift(int id) => _averageShifts[id];

    private static float ComputeAverageShift(ReadOnlySpan<int> rows)
    {
        int[] sorted = rows.ToArray();
        Array.Sort(sorted);
        long sumOfSquares = 0;
        for (int start = 0; start < sorted.Length;)
        {
            int end = start;
            while (end < sorted.Length && sorted[end] == sorted[start]) end++;
            sumOfSquares += (long)(end - start) * (end - start);
            start = end;
        }
        return (float)sumOfSquares / rows.Length;
    }
}
