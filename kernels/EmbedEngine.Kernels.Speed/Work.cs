namespace EmbedEngine.Kernels.Speed;

/// <summary>What a kernel's rate is counted in.</summary>
public enum WorkUnit
{
    /// <summary>Floating-point operations (an FMA counts as two), compared with the FMA peak.</summary>
    Flops,

    /// <summary>Bytes read plus bytes written, compared with the memory bandwidth.</summary>
    Bytes,
}

/// <summary>The work of one call: so many flops or bytes.</summary>
/// <param name="Amount">Flops or bytes per call.</param>
/// <param name="Unit">Which of the two.</param>
public readonly record struct Work(double Amount, WorkUnit Unit)
{
    /// <summary>A compute-bound call.</summary>
    public static Work Flops(double flops) => new(flops, WorkUnit.Flops);

    /// <summary>A memory-bound call.</summary>
    public static Work Bytes(double bytes) => new(bytes, WorkUnit.Bytes);
}
