namespace EmbedEngine.Models.Training;

/// <summary>
/// A per-thread SplitMix64 generator: one multiply-add and a short mix per draw, good statistical quality,
/// and no shared state, so Hogwild workers never contend on a random source.
/// </summary>
public struct FastRandom
{
    private ulong _state;

    /// <summary>Seeds the generator; equal seeds give equal sequences.</summary>
    public FastRandom(ulong seed) => _state = seed;

    /// <summary>Where the sequence stands: <c>new FastRandom(State)</c> continues it exactly (checkpoints save it).</summary>
    public readonly ulong State => _state;

    /// <summary>64 uniformly random bits.</summary>
    public ulong NextULong()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 24 bits of precision.</summary>
    public float NextFloat() => (NextULong() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform in [0, <paramref name="exclusiveMax"/>) (multiply-shift; the bias is below 2^-32).</summary>
    public int NextInt(int exclusiveMax) => (int)(((NextULong() >> 32) * (ulong)(uint)exclusiveMax) >> 32);

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates): every order equally likely.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
