namespace EmbedEngine.Text;

/// <summary>
/// The co-occurrences counted in one part of a corpus, in row-major order: key = row &lt;&lt; 32 | column, and each
/// pair's weight summed in double precision, not yet rounded to float.
/// </summary>
/// <param name="Keys">Distinct keys, ascending.</param>
/// <param name="Sums">The summed weight of each key.</param>
public sealed record CooccurrencePart(ulong[] Keys, double[] Sums)
{
    /// <summary>The row of a key.</summary>
    public static int Row(ulong key) => (int)(key >> 32);

    /// <summary>Where the pairs of rows ≥ <paramref name="row"/> start.</summary>
    public int FirstIndexOfRow(int row)
    {
        int index = Array.BinarySearch(Keys, (ulong)row << 32);
        return index >= 0 ? index : ~index;
    }
}
