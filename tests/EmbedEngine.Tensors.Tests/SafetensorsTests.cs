using System.Buffers.Binary;
using System.Text;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.IO;

namespace EmbedEngine.Tensors.Tests;

public sealed class SafetensorsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("safetensors").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Tensors_and_metadata_round_trip_and_the_file_follows_the_format()
    {
        string path = Path.Combine(_folder, "m.safetensors");
        using Tensor weight = GradientCheck.Random(1, 3, 5), bias = GradientCheck.Random(2, 3), empty = Tensor.Zeros(0, 4);
        using Tensor strided = GradientCheck.Random(3, 4, 2);
        Tensor transposed = strided.Transpose(0, 1);
        SafetensorsFile.Save(path, [new("w", weight), new("b", bias), new("e", empty), new("t", transposed)], new Dictionary<string, string> { ["format"] = "pt" });
        Autograd.Graph.Current.Release();

        byte[] bytes = File.ReadAllBytes(path);
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, (8 + headerLength) % 8);
        string header = Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        Assert.StartsWith("{", header, StringComparison.Ordinal);
        Assert.Contains("\"w\":{\"dtype\":\"F32\",\"shape\":[3,5],\"data_offsets\":[0,60]}", header, StringComparison.Ordinal);
        Assert.Equal(8 + headerLength + (15 + 3 + 0 + 8) * 4, bytes.Length);
        // The data is the raw little-endian floats in declaration order.
        Assert.Equal(weight[0, 1], BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan((int)(8 + headerLength + 4))));

        using SafetensorsContents loaded = SafetensorsFile.Load(path);
        Assert.Equal(["w", "b", "e", "t"], loaded.Tensors.Select(t => t.Key));
        Assert.Equal(weight.ToArray(), loaded["w"].ToArray());
        Assert.Equal(bias.ToArray(), loaded["b"].ToArray());
        Assert.Equal(new Shape(0, 4), loaded["e"].Shape);
        Assert.Equal(new Shape(2, 4), loaded["t"].Shape);
        Assert.Equal(strided[3, 1], loaded["t"][1, 3]);
        Assert.Equal("pt", loaded.Metadata["format"]);
    }

    [Theory]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4, "claims bytes [0, 8) of 4 bytes of data")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 12, "cover 8 bytes of data but the file holds 12")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, "has 3 F32 elements but 8 bytes")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647],\"data_offsets\":[0,8]}}", 8, "more than")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "starts at byte 4 of the data where 0 was expected")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "where 8 was expected")]
    [InlineData("{\"a\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4, "only F32 is supported")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4, "non-negative")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, "data_offsets")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "names 'a' twice")]
    [InlineData("[1,2]", 0, "does not start with '{'")]
    [InlineData("{\"a\":", 0, "not valid JSON")]
    public void A_forged_header_is_refused_with_its_reason(string header, int dataBytes, string reason)
    {
        string path = Path.Combine(_folder, "bad.safetensors");
        byte[] json = Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        File.WriteAllBytes(path, file);
        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Load(path));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ulong.MaxValue, "more than the 100000000 allowed")]
    [InlineData(50_000_000UL, "only 4 follow")]
    public void A_header_length_beyond_the_file_is_refused_before_allocating(ulong claimed, string reason)
    {
        string path = Path.Combine(_folder, "huge.safetensors");
        var file = new byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(file, claimed);
        File.WriteAllBytes(path, file);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Load(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_shorter_than_the_length_prefix_is_refused()
    {
        string path = Path.Combine(_folder, "short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Contains("shorter than the 8-byte header length", Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Load(path)).Message, StringComparison.Ordinal);
    }
}
