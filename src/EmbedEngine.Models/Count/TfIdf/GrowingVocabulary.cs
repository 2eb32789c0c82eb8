namespace EmbedEngine.Models.Count;

/// <summary>
/// Numbers terms in the order they are first seen while fitting; the vocabulary is chosen from them afterwards.
/// A term becomes a string only the first time it is seen.
/// </summary>
internal sealed class GrowingVocabulary : ITermFeatures
{
    private readonly Dictionary<string, int> _features = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public GrowingVocabulary() => _lookup = _features.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The terms seen, by provisional feature.</summary>
    public List<string> Terms { get; } = [];

    public int FeatureOf(ReadOnlySpan<char> term)
    {
        if (_lookup.TryGetValue(term, out int feature)) return feature;
        string added = term.ToString();
        _features.Add(added, Terms.Count);
        Terms.Add(added);
        return Terms.Count - 1;
    }
}
