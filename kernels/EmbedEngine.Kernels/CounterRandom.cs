using System.Runtime.CompilerServices;

namespace EmbedEngine.Kernels;

/// <summary>
/// A counter-based random generator: element i under a seed draws a hash of (seed, i), so any element's value is
/// known without the ones before it. Vector lanes draw independently and a backward pass regenerates a forward
/// pass's draws instead of storing them. The hash is Wellons' lowbias32 (two multiply–xorshift rounds), whose
/// avalanche is good enough for dropout masks; indices wrap at 2³².
/// </summary>
public static class CounterRandom
{
    /// <summary>Spreads consecutive seeds apart before they meet the index (2³²/φ).</summary>
    public const uint SeedSpread = 0x9E3779B9u;

    /// <summary>First multiplier of lowbias32.</summary>
    public const uint Multiplier1 = 0x7FEB352Du;

    /// <summary>Second multiplier of lowbias32.</summary>
    public const uint Multiplier2 = 0x846CA68Bu;

    /// <summary>Turns the top 24 bits of a hash into a float in [0, 1): every value is exact in float.</summary>
    public const float UnitScale = 1f / (1 << 24);

    /// <summary>The 32-bit hash of element <paramref name="index"/> under <paramref name="seed"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Hash(uint seed, long index)
    {
        uint x = unchecked((uint)index + seed * SeedSpread);
        x ^= x >> 16;
        x *= Multiplier1;
        x ^= x >> 15;
        x *= Multiplier2;
        x ^= x >> 16;
        return x;
    }

    /// <summary>A uniform float in [0, 1) for element <paramref name="index"/> under <paramref name="seed"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Uniform(uint seed, long index) => (Hash(seed, index) >> 8) * UnitScale;
}
