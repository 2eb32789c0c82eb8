using System.Buffers.Binary;
using System.Runtime.Intrinsics.X86;

namespace EmbedEngine.Kernels.IO;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of the native vectors format. Chosen over zlib's CRC-32 because x86 has an
/// instruction for it (SSE4.2 crc32), so verifying a multi-gigabyte matrix at open costs little.
/// Values are "finished" CRCs (initial value and final xor applied), so <see cref="Append"/> continues a CRC
/// computed over earlier bytes, as System.IO.Hashing does.
/// </summary>
public static class Crc32C
{
    /// <summary>The reflected Castagnoli polynomial 0x1EDC6F41.</summary>
    private const uint ReflectedPolynomial = 0x82F63B78u;

    private static readonly uint[] Table = BuildTable();

    /// <summary>Whether <see cref="Append"/> runs the SSE4.2 variant on this CPU.</summary>
    public static readonly bool IsHardwareAccelerated = Sse42.IsSupported;

    /// <summary>CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>CRC-32C of the earlier bytes (whose CRC is <paramref name="crc"/>) followed by <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data) =>
        ~(IsHardwareAccelerated ? UpdateSse42(~crc, data) : UpdateScalar(~crc, data));

    /// <summary>Reference: one table lookup per byte. Works on the raw register (no initial value or final xor).</summary>
    public static uint UpdateScalar(uint register, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) register = Table[(byte)(register ^ b)] ^ (register >> 8);
        return register;
    }

    /// <summary>SSE4.2 crc32 instruction, eight bytes at a time on 64-bit CPUs. Works on the raw register.</summary>
    public static uint UpdateSse42(uint register, ReadOnlySpan<byte> data)
    {
        if (!Sse42.IsSupported) throw new PlatformNotSupportedException("This CPU lacks SSE4.2.");
        int i = 0;
        if (Sse42.X64.IsSupported)
        {
            ulong wide = register;
            for (; i <= data.Length - sizeof(ulong); i += sizeof(ulong))
                wide = Sse42.X64.Crc32(wide, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
            register = (uint)wide;
        }
        for (; i <= data.Length - sizeof(uint); i += sizeof(uint))
            register = Sse42.Crc32(register, BinaryPrimitives.ReadUInt32LittleEndian(data[i..]));
        for (; i < data.Length; i++) register = Sse42.Crc32(register, data[i]);
        return register;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < table.Length; n++)
        {
            uint c = n;
            for (int bit = 0; bit < 8; bit++) c = (c & 1) != 0 ? (c >> 1) ^ ReflectedPolynomial : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
