using System.Text;

namespace EmbedEngine.Perf.Onnx;

/// <summary>
/// The few protobuf encodings an ONNX model needs (varints, 32-bit floats, length-delimited fields), written by hand
/// so the benchmarks need no generated code. A nested message is built in its own writer and added as bytes.
/// </summary>
internal sealed class ProtoWriter
{
    private const int Varint = 0, Fixed32 = 5, LengthDelimited = 2;

    private readonly List<byte> _bytes = [];

    /// <summary>The message so far.</summary>
    public byte[] ToArray() => [.. _bytes];

    /// <summary>An int64/int32/enum field.</summary>
    public ProtoWriter Int(int field, long value)
    {
        Tag(field, Varint);
        WriteVarint((ulong)value);
        return this;
    }

    /// <summary>A float field.</summary>
    public ProtoWriter Float(int field, float value)
    {
        Tag(field, Fixed32);
        _bytes.AddRange(BitConverter.GetBytes(value));
        return this;
    }

    /// <summary>A string field (UTF-8).</summary>
    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>An embedded message field.</summary>
    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

    private ProtoWriter Bytes(int field, byte[] value)
    {
        Tag(field, LengthDelimited);
        WriteVarint((ulong)value.Length);
        _bytes.AddRange(value);
        return this;
    }

    private void Tag(int field, int wireType) => WriteVarint((ulong)(field << 3 | wireType));

    private void WriteVarint(ulong value)
    {
        for (; value >= 0x80; value >>= 7) _bytes.Add((byte)(value | 0x80));
        _bytes.Add((byte)value);
    }
}
