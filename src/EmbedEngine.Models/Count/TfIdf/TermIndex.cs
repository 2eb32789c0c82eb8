using System.Text;

namespace EmbedEngine.Models.Count;

/// <summary>
/// Maps a term to its feature: through a learned vocabulary (terms in code point order, feature = position),
/// or by hashing when there is none. Immutable and thread-safe.
/// </summary>
internal sealed class TermIndex
{
    /// <summary>Terms up to this many UTF-16 units are hashed from a stack buffer.</summary>
    private const int StackEncodedLength = 128;

    private readonly string[]? _terms;
    private readonly Dictionary<string, int>? _features;

    private TermIndex(string[]? terms, int count)
    {
        _terms = terms;
        Count = count;
        if (terms is null) return;
        _features = new Dictionary<string, int>(terms.Length, StringComparer.Ordinal);
        for (int i = 0; i < terms.Length; i++) _features.Add(terms[i], i);
    }

    /// <summary>How many features there are.</summary>
    public int Count { get; }

    /// <summary>The vocabulary in feature order; null for hashed features.</summary>
    public IReadOnlyList<string>? Terms => _terms;

    /// <summary>A vocabulary whose terms are already distinct and in code point order.</summary>
    public static TermIndex ForVocabulary(string[] terms) => new(terms, terms.Length);

    /// <summary>Hashed features, <paramref name="features"/> of them.</summary>
    public static TermIndex ForHashing(int features) => new(null, features);

    /// <summary>The feature of <paramref name="term"/>; false for a term outside the vocabulary.</summary>
    public bool TryGetFeature(string term, out int feature)
    {
        if (_features is not null) return _features.TryGetValue(term, out feature);
        int byteCount = Encoding.UTF8.GetMaxByteCount(term.Length);
        Span<byte> bytes = term.Length <= StackEncodedLength ? stackalloc byte[byteCount] : new byte[byteCount];
        int written = Encoding.UTF8.GetBytes(term, bytes);
        feature = MurmurHash3.Feature(MurmurHash3.Hash32(bytes[..written]), Count);
        return true;
    }
}
