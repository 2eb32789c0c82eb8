using System.Numerics;
using System.Runtime.InteropServices;

namespace EmbedEngine.Vectors.IO;

/// <summary>Finds NaN and infinity in loaded vectors, which would otherwise poison every later similarity.</summary>
internal static class FiniteCheck
{
    /// <summary>IEEE-754 single: a value is NaN or infinite exactly when all exponent bits are set.</summary>
    private const uint ExponentBits = 0x7F80_0000u;

    /// <summary>Index of the first NaN or infinity in <paramref name="values"/>, or -1.</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        ReadOnlySpan<uint> bits = MemoryMarshal.Cast<float, uint>(values);
        var exponentMask = new Vector<uint>(ExponentBits);
        int i = 0;
        // Scan whole vectors until one holds a bad value; the scalar loop then pins down which.
        for (; i <= bits.Length - Vector<uint>.Count; i += Vector<uint>.Count)
        {
            if (Vector.EqualsAny(new Vector<uint>(bits[i..]) & exponentMask, exponentMask)) break;
        }
        for (; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i])) return i;
        }
        return -1;
    }
}
