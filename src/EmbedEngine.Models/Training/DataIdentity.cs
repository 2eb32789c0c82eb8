using System.Runtime.InteropServices;
using System.Text;
using EmbedEngine.Kernels.IO;

namespace EmbedEngine.Models.Training;

/// <summary>
/// Names a trainer's data held in memory (tokens, words, pixels) by size and CRC-32C, for a checkpoint's fingerprint,
/// so a run is not resumed on other data (<see cref="CorpusIdentity"/> names a corpus streamed from its file).
/// </summary>
internal static class DataIdentity
{
    /// <summary>Token ids.</summary>
    public static string Of(ReadOnlySpan<int> ids) => $"{ids.Length} ids, crc32c {Crc32C.Compute(MemoryMarshal.AsBytes(ids)):x8}";

    /// <summary>Raw bytes (pixels).</summary>
    public static string Of(ReadOnlySpan<byte> bytes) => $"{bytes.Length} bytes, crc32c {Crc32C.Compute(bytes):x8}";

    /// <summary>Texts in order; a null text counts as absent, apart from an empty one.</summary>
    public static string Of(IEnumerable<string?> texts)
    {
        uint crc = 0;
        int count = 0;
        foreach (string? text in texts)
        {
            // A record separator after each, so ["ab", "c"] and ["a", "bc"] differ.
            crc = Crc32C.Append(crc, Encoding.UTF8.GetBytes(text == null ? "\u0000\u001e" : text + "\u001e"));
            count++;
        }
        return $"{count} texts, crc32c {crc:x8}";
    }
}
