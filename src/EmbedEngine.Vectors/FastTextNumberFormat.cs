using System.Globalization;
using System.Text;

namespace EmbedEngine.Vectors;

/// <summary>
/// Prints a value as fastText prints vectors (.vec files, print-word-vectors): a C++ ostream with setprecision(5)
/// in the default float field, i.e. C's "%.5g".
/// </summary>
public static class FastTextNumberFormat
{
    /// <summary>Longest rendering of a finite float32, with room to spare.</summary>
    public const int MaxBytes = 32;

    /// <summary>
    /// Writes <paramref name="value"/> as UTF-8 into <paramref name="destination"/> (at least <see cref="MaxBytes"/>
    /// long) and returns the byte count. .NET's "G5" picks the same digits and the same switch to exponent notation
    /// as "%.5g", but spells the exponent "E+05" where C writes "e+05".
    /// </summary>
    public static int Format(float value, Span<byte> destination)
    {
        ((double)value).TryFormat(destination, out int written, "G5", CultureInfo.InvariantCulture);
        int exponent = destination[..written].IndexOf((byte)'E');
        if (exponent >= 0) destination[exponent] = (byte)'e';
        return written;
    }

    /// <summary><paramref name="value"/> as fastText prints it.</summary>
    public static string Format(float value)
    {
        Span<byte> text = stackalloc byte[MaxBytes];
        return Encoding.ASCII.GetString(text[..Format(value, text)]);
    }
}
