using EmbedEngine.Text;

namespace EmbedEngine.Models.GloVe;

/// <summary>The positive entries of a co-occurrence matrix as flat (row, column, value) arrays, one index each.</summary>
internal sealed class GloVeEntries
{
    public GloVeEntries(CooccurrenceMatrix counts)
    {
        if (counts.NonZeros > Array.MaxLength)
            throw new ArgumentException($"the co-occurrence matrix has {counts.NonZeros} entries; at most {Array.MaxLength} are supported");
        ReadOnlySpan<long> starts = counts.RowStarts;
        ReadOnlySpan<int> columns = counts.Columns;
        ReadOnlySpan<float> values = counts.Values;
        int positive = 0;
        foreach (float value in values)
            if (value > 0 && float.IsFinite(value)) positive++;
        Rows = new int[positive];
        Columns = new int[positive];
        Values = new float[positive];
        int next = 0;
        for (int row = 0; row < counts.Rows; row++)
        {
            for (long e = starts[row]; e < starts[row + 1]; e++)
            {
                float value = values[(int)e];
                if (!(value > 0 && float.IsFinite(value))) continue; // log x needs x > 0; the counter stores none other
                Rows[next] = row;
                Columns[next] = columns[(int)e];
                Values[next] = value;
                next++;
            }
        }
    }

    public int[] Rows { get; }
    public int[] Columns { get; }
    public float[] Values { get; }
    public int Count => Values.Length;
}
