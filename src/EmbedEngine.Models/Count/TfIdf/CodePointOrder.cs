namespace EmbedEngine.Models.Count;

/// <summary>
/// Orders strings by Unicode code point, as Python sorts str (and so scikit-learn numbers its vocabulary).
/// Ordinal UTF-16 order differs only where a surrogate pair (U+10000 and above) meets U+E000–U+FFFF, so those
/// code units are shifted past each other before comparing.
/// </summary>
internal sealed class CodePointOrder : IComparer<string>
{
    public static readonly CodePointOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null) return x is null ? (y is null ? 0 : -1) : 1;
        int length = Math.Min(x.Length, y.Length);
        for (int i = 0; i < length; i++)
        {
            if (x[i] != y[i]) return Rank(x[i]) - Rank(y[i]);
        }
        return x.Length - y.Length;
    }

    /// <summary>Surrogates (D800–DFFF) move above U+FFFF's units, and E000–FFFF move down into their place.</summary>
    private static int Rank(char unit) => unit >= '\uE000' ? unit - 0x800 : unit >= '\uD800' ? unit + 0x2000 : unit;
}
