namespace EmbedEngine.Models.Count;

/// <summary>
/// How co-occurrence counts become positive pointwise mutual information, with the defaults of Levy, Goldberg and
/// Dagan (2015): context-distribution smoothing 0.75, no shift.
/// </summary>
public sealed record PpmiOptions
{
    /// <summary>
    /// Exponent α of the smoothed context distribution P_α(c) = #c^α / Σ #c'^α (<c>--cds</c>); 1 is plain PMI.
    /// Raising rare contexts' probability keeps them from dominating PMI.
    /// </summary>
    public double ContextSmoothing { get; init; } = 0.75;

    /// <summary>Shift k of shifted PPMI (<c>--shift</c>): log k is subtracted before clipping at 0; 1 is no shift.</summary>
    public double Shift { get; init; } = 1;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (!(ContextSmoothing is > 0 and <= 1))
            throw new ArgumentException($"context-distribution smoothing (cds) must be in (0, 1], not {ContextSmoothing}");
        if (!(Shift is >= 1 and < double.PositiveInfinity))
            throw new ArgumentException($"the PMI shift must be a finite number of at least 1 (1: no shift), not {Shift}");
    }
}
