namespace EmbedEngine.Models.Count;

/// <summary>
/// PPMI + SVD word vectors (Levy, Goldberg and Dagan 2015): the PPMI weighting, the truncated SVD, and how
/// U_k·Σ_k^p becomes the vectors. Defaults follow their recommendations (cds 0.75, no shift, p = 0.5).
/// </summary>
public sealed record PpmiSvdOptions
{
    /// <summary>How counts become PPMI.</summary>
    public PpmiOptions Ppmi { get; init; } = new();

    /// <summary>The SVD; its rank is the vector dimension.</summary>
    public RandomizedSvdOptions Svd { get; init; } = new();

    /// <summary>
    /// Exponent p of the singular values in U·Σ^p (<c>--eig</c>): 1 is the classic SVD embedding, 0 drops Σ,
    /// 0.5 (their best on similarity) splits it between words and contexts.
    /// </summary>
    public double EigenvalueWeighting { get; init; } = 0.5;

    /// <summary>Scale every vector to unit length, as their evaluation does before cosine similarity.</summary>
    public bool NormalizeRows { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Ppmi);
        ArgumentNullException.ThrowIfNull(Svd);
        Ppmi.Validate();
        Svd.Validate();
        if (!(EigenvalueWeighting is >= 0 and <= 1))
            throw new ArgumentException($"the eigenvalue weighting (eig) must be in [0, 1], not {EigenvalueWeighting}");
    }
}
