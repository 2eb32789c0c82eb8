namespace EmbedEngine.Models.Count;

/// <summary>Gives a term its feature number, so the analyzer can count features without keeping term strings.</summary>
internal interface ITermFeatures
{
    /// <summary>The feature of <paramref name="term"/>, or -1 when it has none (a term outside a fixed vocabulary).</summary>
    int FeatureOf(ReadOnlySpan<char> term);
}
