using EmbedEngine.Kernels;
using EmbedEngine.Models.FastText.Supervised;

namespace EmbedEngine.Models.FastText.Quantization;

/// <summary>
/// fastText's <c>-cutoff</c>: keeps the input rows with the largest norms (the end-of-line word always), then
/// prunes the dictionary to match as fastText's Dictionary::prune does: the kept words in their old order, the
/// labels, and a pruned index that gives each kept n-gram bucket its row, in order of decreasing norm.
/// </summary>
internal static class InputPruning
{
    /// <summary>The pruned dictionary and, for each of its input rows, the row of the unpruned input it takes.</summary>
    /// <exception cref="ArgumentException">The cutoff is above the number of rows, or the dictionary is pruned already.</exception>
    public static (FastTextDictionary Dictionary, int[] SourceRows) Prune(FastTextDictionary dictionary, NativeMatrix input, int cutoff)
    {
        if (cutoff > input.Rows)
            throw new ArgumentException($"cutoff {cutoff} is larger than the model's {input.Rows} input rows");
        if (dictionary.PrunedBuckets is not null) throw new ArgumentException("the model's dictionary is pruned already");
        int[] kept = LargestNorms(dictionary, input, cutoff);
        int wordCount = dictionary.WordCount;
        int[] words = [.. kept.Where(row => row < wordCount).Order()];
        int[] ngrams = [.. kept.Where(row => row >= wordCount)];
        int[] entryIds = [.. words, .. Enumerable.Range(wordCount, dictionary.LabelCount)];
        var pruned = new FastTextDictionary(
            [.. entryIds.Select(id => dictionary.Entries[id])],
            [.. entryIds.Select(dictionary.Count)],
            [.. entryIds.Select(dictionary.TypeOf)],
            dictionary.TokenCount,
            [.. ngrams.Select((row, index) => (row - wordCount, index))]);
        return (pruned, [.. words, .. ngrams]);
    }

    /// <summary>
    /// The <paramref name="cutoff"/> rows with the largest L2 norms, the end-of-line word first whatever its norm;
    /// equal norms keep the lower row first.
    /// </summary>
    internal static int[] LargestNorms(FastTextDictionary dictionary, NativeMatrix input, int cutoff)
    {
        float[] norms = RowNorms.Of(input);
        int endOfLine = dictionary.IdOf(LabelledLine.EndOfLine);
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
