namespace EmbedEngine.Text.Tokenizers;

/// <summary>
/// GPT-2's reversible map from bytes to printable characters: the printable bytes '!'…'~', '¡'…'¬' and '®'…'ÿ'
/// stand for themselves, and the other 68 bytes, in increasing order, for U+0100, U+0101, …, so that every
/// token of vocab.json and merges.txt is printable text without spaces.
/// </summary>
internal static class ByteLevelAlphabet
{
    /// <summary>The character GPT-2 writes for each byte.</summary>
    private static readonly char[] CharOfByte = BuildCharOfByte();

    /// <summary>Bytes in GPT-2's order: the printable ones first, then the remapped ones; a byte's index is its id in GPT-2's vocabulary.</summary>
    private static readonly byte[] ByteOfBaseId = BuildBaseOrder();

    /// <summary>The byte of each character below U+0144 (the last one GPT-2 uses), −1 for characters that stand for no byte.</summary>
    private static readonly short[] ByteOfChar = BuildByteOfChar();

    /// <summary>How many byte tokens every byte-level vocabulary starts with.</summary>
    public const int ByteCount = 256;

    public static char ToChar(byte value) => CharOfByte[value];

    /// <summary>The byte that GPT-2's id <paramref name="id"/> (0–255) stands for.</summary>
    public static byte ByteOfGpt2Id(int id) => ByteOfBaseId[id];

    /// <summary>The byte <paramref name="symbol"/> stands for, if it is one of the 256 characters of the alphabet.</summary>
    public static bool TryGetByte(char symbol, out byte value)
    {
        value = 0;
        if (symbol >= ByteOfChar.Length || ByteOfChar[symbol] < 0) return false;
        value = (byte)ByteOfChar[symbol];
        return true;
    }

    /// <summary>The alphabet's characters for <paramref name="bytes"/>, one per byte.</summary>
    public static string ToText(ReadOnlySpan<byte> bytes)
    {
        var text = new char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++) text[i] = CharOfByte[bytes[i]];
        return new string(text);
    }

    /// <summary>The bytes <paramref name="text"/> stands for, or null if a character of it is outside the alphabet.</summary>
    public static byte[]? ToBytes(string text)
    {
        var bytes = new byte[text.Length];
        for (int i = 0; i < text.Length; i++)
            if (!TryGetByte(text[i], out bytes[i])) return null;
        return bytes;
    }

    private static bool IsPrintable(int value) => value is >= '!' and <= '~' or >= '¡' and <= '¬' or >= '®' and <= 'ÿ';

    private static char[] BuildCharOfByte()
    {
        var chars = new char[ByteCount];
        int remapped = 0;
        for (int b = 0; b < ByteCount; b++) chars[b] = IsPrintable(b) ? (char)b : (char)(ByteCount + remapped++);
        return chars;
    }

    private static byte[] BuildBaseOrder()
    {
        var order = new List<byte>(ByteCount);
        for (int b = 0; b < ByteCount; b++) if (IsPrintable(b)) order.Add((byte)b);
        for (int b = 0; b < ByteCount; b++) if (!IsPrintable(b)) order.Add((byte)b);
        return [.. order];
    }

    private static short[] BuildByteOfChar()
    {
        var bytes = new short[CharOfByte.Max() + 1];
        Array.Fill(bytes, (short)-1);
        for (int b = 0; b < ByteCount; b++) bytes[CharOfByte[b]] = (short)b;
        return bytes;
    }
}
