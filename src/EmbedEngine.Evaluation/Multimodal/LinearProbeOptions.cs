namespace EmbedEngine.Evaluation.Multimodal;

/// <summary>
/// Settings of <see cref="LinearProbe"/>. The loss minimized is the mean cross-entropy over the training rows plus
/// (<see cref="L2"/> / 2)·‖W‖² on the weights (the biases are not penalized).
/// </summary>
public sealed record LinearProbeOptions
{
    /// <summary>λ, the L2 penalty on the weights; 0 turns it off (then separable data never converge: the weights grow
    /// until <see cref="MaxIterations"/>).</summary>
    public double L2 { get; init; } = 1e-4;

    /// <summary>The most L-BFGS steps to take.</summary>
    public int MaxIterations { get; init; } = 500;

    /// <summary>
    /// Stop once every component of the loss gradient is at most this in magnitude (the ∞-norm, as scikit-learn's
    /// lbfgs solver uses, so the test does not tighten with the number of parameters). The loss is computed through
    /// float GEMMs, whose rounding puts a floor near 1e-7 under what can be reached.
    /// </summary>
    public double GradientTolerance { get; init; } = 1e-5;

    /// <summary>Correction pairs L-BFGS keeps (the m of Nocedal &amp; Wright; 10 as in SciPy).</summary>
    public int History { get; init; } = 10;

    internal void Check()
    {
        if (!(L2 >= 0) || double.IsInfinity(L2)) throw new ArgumentException($"The L2 penalty must be finite and non-negative, not {L2}.");
        if (MaxIterations < 0) throw new ArgumentException($"The iteration limit must be non-negative, not {MaxIterations}.");
        if (!(GradientTolerance >= 0)) throw new ArgumentException($"The gradient tolerance must be non-negative, not {GradientTolerance}.");
        if (History < 1) throw new ArgumentException($"L-BFGS needs a history of at least 1, not {History}.");
    }
}
