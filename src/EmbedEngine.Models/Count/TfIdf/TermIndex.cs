using System.Text;

namespace EmbedEngine.Models.Count;

/// <summary>
/// Maps a term to its feature: through a learned vocabulary (terms in code point order, feature = position),
/// or by hashing when there is none. Immutable and thread-safe.
/// </summary>
internal sealed class TermIndex : ITermFeatures
{
    /// <summary>Terms up to this many UTF-16 units are hashed from a stack buffer.</summary>
    private const int StackEncodedLength = 128;

    private readonly string[]? _terms;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _features;

    private TermIndex(string[]? terms, int count)
    {
        _terms = terms;
        Count = count;
        var features = new Dictionary<string, int>(terms?.Length ?? 0, StringComparer.Ordinal);
        if (terms is not null)
        {
            for (int i = 0; i < terms.Length; i++) features.Add(terms[i], i);
        }
        // Looked up by slices of the analyzer's buffers, so no string is made to find a term.
        _features = features.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>How many features there are.</summary>
    public int Count { get; }

    /// <summary>The vocabulary in feature order; null for hashed features.</summary>
    public IReadOnlyList<string>? Terms => _terms;

    /// <summary>A vocabulary whose terms are already distinct and in code point order.</summary>
    public static TermIndex ForVocabulary(string[] terms) => new(terms, terms.Length);

    /// <summary>Hashed features, <paramref name="features"/> of them.</summary>
    public static TermIndex ForHashing(int features) => new(null, features);

    /// <summary>The feature of <paramref name="term"/>; -1 for a term outside the vocabulary.</summary>
    public int FeatureOf(ReadOnlySpan<char> term)
    {
        if (_terms is not null) return _features.TryGetValue(term, out int feature) ? feature : -1;
        return MurmurHash3.Feature(HashUtf8(term), Count);
    }

    /// <summary>The MurmurHash3 of <paramref name="term"/>'s UTF-8 bytes.</summary>
    private static int HashUtf8(ReadOnlySpan<char> term)
    {
        int byteCount = Encoding.UTF8.GetMaxByteCount(term.Length);
        Span<byte> bytes = term.Length <= StackEncodedLength ? stackalloc byte[byteCount] : new byte[byteCount];
        int written = Encoding.UTF8.GetBytes(term, bytes);
        return MurmurHash3.Hash32(bytes[..written]);
    }
}
