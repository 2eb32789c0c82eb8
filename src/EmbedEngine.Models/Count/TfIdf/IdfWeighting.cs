namespace EmbedEngine.Models.Count;

/// <summary>How document frequency weighs a term (scikit-learn's <c>use_idf</c> and <c>smooth_idf</c>).</summary>
public enum IdfWeighting
{
    /// <summary>idf = ln((1 + n) / (1 + df)) + 1, as if one extra document held every term (the default).</summary>
    Smooth,

    /// <summary>idf = ln(n / df) + 1 (<c>smooth_idf=False</c>).</summary>
    Plain,

    /// <summary>No idf: weights are term frequencies only (<c>use_idf=False</c>).</summary>
    None,
}
