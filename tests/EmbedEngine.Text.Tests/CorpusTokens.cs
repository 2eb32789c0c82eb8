using System.Text;

namespace EmbedEngine.Text.Tests;

/// <summary>Reads a whole corpus into a list of tokens, with <see cref="LineBreak"/> standing for each line break.</summary>
internal static class CorpusTokens
{
    public const string LineBreak = "⏎";

    public static List<string> ReadAll(CorpusReader reader)
    {
        var tokens = new List<string>();
        while (reader.Read(out ReadOnlySpan<byte> token, out bool lineBreak))
        {
            if (lineBreak)
            {
                Assert.True(token.IsEmpty);
                tokens.Add(LineBreak);
            }
            else
            {
                Assert.False(token.IsEmpty);
                Assert.True(token.Length <= CorpusReader.MaxTokenBytes);
                Assert.True(System.Text.Unicode.Utf8.IsValid(token));
                tokens.Add(Encoding.UTF8.GetString(token));
            }
        }
        Assert.False(reader.Read(out _, out _)); // stays at the end
        return tokens;
    }

    public static List<string> ReadAll(string path)
    {
        using CorpusReader reader = CorpusReader.Open(path);
        return ReadAll(reader);
    }

    public static List<string> ReadAll(string path, int bufferBytes)
    {
        using CorpusReader reader = CorpusReader.Open(path, 0, 1, bufferBytes);
        return ReadAll(reader);
    }

    public static List<string> Words(IEnumerable<string> tokens) => tokens.Where(t => t != LineBreak).ToList();

    /// <summary>Random text with every kind of separator, blank lines, multi-byte characters, invalid bytes and long tokens.</summary>
    public static byte[] RandomCorpus(int seed, int tokens)
    {
        var random = new Random(seed);
        string[] separators = [" ", "  ", "\t", "\n", "\r\n", "\n\n\n", " \v ", "\f", "\r"];
        byte[][] pieces =
        [
            "a"u8.ToArray(), "word"u8.ToArray(), "é"u8.ToArray(), "日本"u8.ToArray(), "🙂"u8.ToArray(),
            [0xFF], [0xC3, 0x28], [0xE2, 0x82], [0xF0, 0x9F, 0x99],
        ];
        var output = new List<byte>();
        for (int i = 0; i < tokens; i++)
        {
            int length = random.Next(20) == 0 ? 60 : random.Next(1, 5);
            for (int j = 0; j < length; j++)
            {
                // Invalid pieces are rarer than valid ones, as in real corpora.
                int piece = random.Next(100) == 0 ? random.Next(pieces.Length) : random.Next(5);
                output.AddRange(pieces[piece]);
            }
            output.AddRange(Encoding.ASCII.GetBytes(separators[random.Next(separators.Length)]));
        }
        return [.. output];
    }
}
