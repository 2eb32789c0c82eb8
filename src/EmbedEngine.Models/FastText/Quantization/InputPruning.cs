using EmbedEngine.Kernels;
using EmbedEngine.Models.FastText.Supervised;
using EmbedEngine.Text;

namespace EmbedEngine.Models.FastText.Quantization;

/// <summary>
/// fastText's <c>-cutoff</c>: keeps the input rows with the largest norms (the end-of-line word always), then
/// prunes the dictionary to match: kept words in their old order, then the kept n-gram buckets in order of
/// decreasing norm, each bucket mapped to its new row.
/// </summary>
internal static class InputPruning
{
    /// <summary>The pruned dictionary and, for each of its input rows, the row of the unpruned input it takes.</summary>
    /// <exception cref="ArgumentException"><paramref name="cutoff"/> is above the number of rows.</exception>
    public static (ClassifierDictionary Dictionary, int[] SourceRows) Prune(ClassifierDictionary dictionary, NativeMatrix input, int cutoff)
    {
        if (cutoff > input.Rows)
            throw new ArgumentException($"cutoff {cutoff} is larger than the model's {input.Rows} input rows");
        if (dictionary.KeptBuckets is not null) throw new ArgumentException("the model's dictionary is pruned already");
        int[] kept = LargestNorms(dictionary, input, cutoff);
        int wordCount = dictionary.Words.Count;
        var words = new List<(string Word, long Count)>();
        var buckets = new Dictionary<int, int>();
        var bucketRows = new List<int>();
        foreach (int row in kept)
        {
            if (row < wordCount) words.Add((dictionary.Words[row], dictionary.Words.Frequency(row)));
            else
            {
                buckets[row - wordCount] = bucketRows.Count;
                bucketRows.Add(row);
            }
        }
        if (words.Count == 0) throw new ArgumentException($"cutoff {cutoff} keeps no word of the dictionary");
        // minCount 0 keeps every word; ids come back in descending count, as before, and rows follow the new ids.
        Vocabulary prunedWords = Vocabulary.FromCounts(words, minCount: 0);
        var sourceRows = new int[prunedWords.Count + bucketRows.Count];
        for (int id = 0; id < prunedWords.Count; id++) sourceRows[id] = dictionary.Words.IdOf(prunedWords[id]);
        bucketRows.CopyTo(sourceRows, prunedWords.Count);
        var pruned = new ClassifierDictionary(prunedWords, dictionary.Labels, dictionary.WordNgrams, dictionary.Buckets,
            dictionary.LabelPrefix, buckets);
        return (pruned, sourceRows);
    }

    /// <summary>
    /// The <paramref name="cutoff"/> rows with the largest L2 norms, the end-of-line word first whatever its norm;
    /// equal norms keep the lower row first.
    /// </summary>
    internal static int[] LargestNorms(ClassifierDictionary dictionary, NativeMatrix input, int cutoff)
    {
        var norms = new float[input.Rows];
        for (int row = 0; row < input.Rows; row++)
        {
            ReadOnlySpan<float> values = input.Row(row);
            norms[row] = MathF.Sqrt(DotKernel.Dot(values, values));
        }
        int endOfLine = dictionary.Words.IdOf(LabelledLine.EndOfLine);
        int[] order = new int[input.Rows];
        for (int row = 0; row < order.Length; row++) order[row] = row;
        Array.Sort(order, (a, b) =>
            a == b ? 0
            : a == endOfLine ? -1
            : b == endOfLine ? 1
            : norms[a] != norms[b] ? norms[b].CompareTo(norms[a])
            : a.CompareTo(b));
        return order[..cutoff];
    }
}
