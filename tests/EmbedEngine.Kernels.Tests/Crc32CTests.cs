using System.Runtime.Intrinsics.X86;
using EmbedEngine.Kernels.IO;

namespace EmbedEngine.Kernels.Tests;

public class Crc32CTests
{
    [Fact]
    public void Check_value_of_123456789_is_E3069283()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
        Assert.Equal(0xE3069283u, ~Crc32C.UpdateScalar(~0u, "123456789"u8));
    }

    [Fact]
    public void Empty_input_gives_zero() => Assert.Equal(0u, Crc32C.Compute([]));

    [Fact]
    public void Append_continues_a_checksum()
    {
        byte[] data = RandomBytes(1000, seed: 1);
        uint whole = Crc32C.Compute(data);
        uint pieces = Crc32C.Append(Crc32C.Append(Crc32C.Compute(data.AsSpan(0, 333)), data.AsSpan(333, 500)), data.AsSpan(833));
        Assert.Equal(whole, pieces);
    }

    [Fact]
    public void Sse42_matches_the_scalar_reference_on_every_length_and_offset()
    {
        if (!Sse42.IsSupported) return; // The scalar reference is all such a CPU runs; the test vector covers it.
        byte[] data = RandomBytes(300, seed: 2);
        for (int offset = 0; offset < 9; offset++)
        {
            for (int length = 0; length <= data.Length - offset; length += length < 40 ? 1 : 37)
            {
                ReadOnlySpan<byte> slice = data.AsSpan(offset, length);
                Assert.Equal(Crc32C.UpdateScalar(0xFFFFFFFF, slice), Crc32C.UpdateSse42(0xFFFFFFFF, slice));
                Assert.Equal(Crc32C.UpdateScalar(0x12345678, slice), Crc32C.UpdateSse42(0x12345678, slice));
            }
        }
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
