using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace EmbedEngine.Vectors.Formats;

/// <summary>
/// NumPy's .npy format, version 1.0, for a C-ordered float32 matrix: the magic string, a header dictionary padded
/// with spaces to a 64-byte boundary, then the little-endian values, so numpy.load reads it as it is.
/// </summary>
public static class NpyWriter
{
    /// <summary>Writes the <paramref name="rows"/> × <paramref name="columns"/> matrix <paramref name="values"/> (row after row) to <paramref name="stream"/>.</summary>
    /// <exception cref="ArgumentException">The values are not rows × columns.</exception>
    public static void WriteMatrix(Stream stream, int rows, int columns, ReadOnlySpan<float> values)
    {
        if ((long)rows * columns != values.Length) throw new ArgumentException($"{values.Length} values are not {rows} × {columns}.");
        string dictionary = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {columns}), }}");
        // magic (6) + version (2) + header length (2) + header, the header ending in '\n', all a multiple of 64.
        int unpadded = 10 + dictionary.Length + 1;
        string header = dictionary + new string(' ', (64 - unpadded % 64) % 64) + "\n";
        Span<byte> prefix = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, 0, 0];
        BinaryPrimitives.WriteUInt16LittleEndian(prefix[8..], (ushort)header.Length);
        stream.Write(prefix);
        stream.Write(Encoding.ASCII.GetBytes(header));
        Span<byte> value = stackalloc byte[4];
        foreach (float v in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(value, v);
            stream.Write(value);
        }
    }
}
