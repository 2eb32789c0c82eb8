using System.Text;

namespace EmbedEngine.Text.Tests.Tokenizers;

/// <summary>Random strings and byte strings that stress a tokenizer's edges.</summary>
internal static class RandomText
{
    /// <summary>Pieces of text: ASCII, accents as precomposed and combining marks, CJK, emoji (surrogate pairs, ZWJ sequences, flags), astral letters, odd whitespace, contractions.</summary>
    private static readonly string[] Pieces =
    [
        "a", "Z", "q", "7", "0", " ", "  ", "\t", "\n", "\r\n", "\u00A0", "\u3000", "\u2028", "'s", "'ll", "'", "!", "...", "-",
        "é", "e\u0301", "n\u0303", "\u0301", "ß", "Ω", "ж", "日本", "語", "😀", "👩‍👩‍👧", "🇫🇷", "𝐀", "𝟘", "\u200D", "\uFEFF",
        "\u0000", "\u001F", "\u007F", "\u0085", "\uFFFD", "٣", "Ⅻ", "\u0600",
    ];

    public static string String(Random random, int maxPieces)
    {
        var text = new StringBuilder();
        int count = random.Next(maxPieces + 1);
        for (int i = 0; i < count; i++)
        {
            // Now and then a long run, so pre-tokens longer than the merge scan's limit appear.
            if (random.Next(40) == 0) text.Append(random.Next(2) == 0 ? 'a' : 'b', 60 + random.Next(100));
            else text.Append(Pieces[random.Next(Pieces.Length)]);
        }
        return text.ToString();
    }

    /// <summary>Random bytes: uniform ones, fragments of UTF-8 (truncated or complete) and overlong or surrogate encodings.</summary>
    public static byte[] Bytes(Random random, int maxParts)
    {
        var bytes = new List<byte>();
        int count = random.Next(maxParts + 1);
        for (int i = 0; i < count; i++)
        {
            switch (random.Next(5))
            {
                case 0: bytes.Add((byte)random.Next(256)); break;
                case 1:
                    byte[] piece = Encoding.UTF8.GetBytes(Pieces[random.Next(Pieces.Length)]);
                    bytes.AddRange(piece.AsSpan(0, 1 + random.Next(piece.Length)));
                    break;
                case 2: bytes.AddRange(random.Next(3) switch { 0 => [0xC0, 0xAF], 1 => [0xED, 0xA0, 0x80], _ => [0xF4, 0x90, 0x80, 0x80] }); break;
                default: bytes.AddRange(Encoding.UTF8.GetBytes(Pieces[random.Next(Pieces.Length)])); break;
            }
        }
        return [.. bytes];
    }
}
