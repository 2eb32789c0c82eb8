using EmbedEngine.Kernels;
using EmbedEngine.Kernels.IO;
using EmbedEngine.Text;

namespace EmbedEngine.Models.GloVe;

/// <summary>
/// One positive co-occurrence, 12 bytes: training visits entries in shuffled order, and with row, column and
/// count side by side each visit reads one place in memory instead of three.
/// </summary>
internal readonly record struct GloVeEntry(int Row, int Column, float Count);

/// <summary>Turns a co-occurrence matrix into the entries GloVe trains on.</summary>
internal static class GloVeEntries
{
    /// <summary>The positive, finite entries of <paramref name="counts"/>, in row-major order.</summary>
    /// <exception cref="ArgumentException">The matrix has more entries than one array can hold.</exception>
    public static GloVeEntry[] From(CsrMatrix counts)
    {
        if (counts.NonZeros > Array.MaxLength)
            throw new ArgumentException($"the co-occurrence matrix has {counts.NonZeros} entries; at most {Array.MaxLength} are supported");
        ReadOnlySpan<long> starts = counts.RowStarts;
        ReadOnlySpan<int> columns = counts.ColumnIndices;
        ReadOnlySpan<float> values = counts.Values;
        int positive = 0;
        foreach (float value in values)
            if (IsTrainable(value)) positive++;
        var entries = new GloVeEntry[positive];
        int next = 0;
        for (int row = 0; row < counts.Rows; row++)
        {
            for (int e = (int)starts[row]; e < (int)starts[row + 1]; e++)
                if (IsTrainable(values[e])) entries[next++] = new GloVeEntry(row, columns[e], values[e]);
        }
        return entries;
    }

    /// <summary>The entries' count and CRC-32C, naming the matrix in a checkpoint's fingerprint.</summary>
    public static string Identity(GloVeEntry[] entries) =>
        $"matrix of {entries.Length} entries, crc32c {Crc32C.Compute(System.Runtime.InteropServices.MemoryMarshal.AsBytes(entries.AsSpan())):x8}";

    /// <summary>log x needs x &gt; 0; the counter stores no other, but a loaded file is checked only for finiteness.</summary>
    private static bool IsTrainable(float value) => value > 0 && float.IsFinite(value);
}
