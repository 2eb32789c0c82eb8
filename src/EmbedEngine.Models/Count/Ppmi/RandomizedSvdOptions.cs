namespace EmbedEngine.Models.Count;

/// <summary>
/// Options of the randomized truncated SVD (Halko, Martinsson and Tropp 2011). Oversampling 10 and two power
/// iterations are their recommendations for matrices whose singular values decay slowly, as PPMI's do.
/// </summary>
public sealed record RandomizedSvdOptions
{
    /// <summary>How many singular triplets to return (the vector dimension).</summary>
    public int Rank { get; init; } = 200;

    /// <summary>Extra random directions beyond <see cref="Rank"/> in the sketch; they catch what the top ones leak.</summary>
    public int Oversampling { get; init; } = 10;

    /// <summary>Passes of (A·Aᵀ) applied to the sketch, each re-orthonormalized; each sharpens the decay of the spectrum.</summary>
    public int PowerIterations { get; init; } = 2;

    /// <summary>Seed of the Gaussian test matrix; equal seeds give equal results, whatever the thread count.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Threads for the sparse products.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        Require(Rank is > 0 and <= 10_000, $"the rank (dimension) must be in 1..10000, not {Rank}");
        Require(Oversampling is >= 0 and <= 1_000, $"oversampling must be in 0..1000, not {Oversampling}");
        Require(PowerIterations is >= 0 and <= 20, $"power iterations must be in 0..20, not {PowerIterations}");
        Require(Threads is > 0 and <= 1_024, $"threads must be in 1..1024, not {Threads}");
    }

    /// <summary>Also checks that the rank fits a matrix of <paramref name="rows"/> × <paramref name="columns"/>.</summary>
    public void Validate(int rows, int columns)
    {
        Validate();
        Require(Rank < Math.Min(rows, columns),
            $"the rank (dimension) {Rank} must be below the matrix's size {rows} × {columns} (fewer dimensions than words)");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new ArgumentException(message);
    }
}
