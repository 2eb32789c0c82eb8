using System.Text;
using EmbedEngine.Distributed;
using EmbedEngine.Kernels.IO;

namespace EmbedEngine.Models.Training;

/// <summary>Refuses, on every rank at once, a job whose ranks were started with different options.</summary>
internal static class RankAgreement
{
    /// <exception cref="ArgumentException">Some rank's <paramref name="fingerprint"/> differs from the others'.</exception>
    public static void Require(MpiWorld world, string fingerprint)
    {
        // Every rank learns whether all hashed alike: the maximum of h and of −h agree only if every h is equal.
        long hash = Crc32C.Compute(Encoding.UTF8.GetBytes(fingerprint));
        long[] extremes = [hash, -hash];
        world.MaxInPlace(extremes);
        if (extremes[0] != -extremes[1])
            throw new ArgumentException($"The {world.Size} ranks were started with different options; every rank must get the same ({fingerprint} here).");
    }
}
