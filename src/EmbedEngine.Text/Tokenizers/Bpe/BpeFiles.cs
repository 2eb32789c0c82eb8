using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using EmbedEngine.Kernels.IO;

namespace EmbedEngine.Text.Tokenizers;

/// <summary>
/// GPT-2's two files: vocab.json, one JSON object from each token (in GPT-2's byte-to-character form) to its id,
/// and merges.txt, a <c>#version: 0.2</c> line and then one merge per line, <c>left right</c>, in rank order.
/// </summary>
public static class BpeFiles
{
    /// <summary>The first line of merges.txt as GPT-2 and Hugging Face write it.</summary>
    public const string MergesHeader = "#version: 0.2";

    /// <summary>Loads a tokenizer from GPT-2's file pair.</summary>
    /// <exception cref="InvalidDataException">
    /// A file is empty or not what its format says: bad JSON, an id that is negative, repeated or missing, a byte
    /// without a token, a merge line without exactly two parts, a merge whose parts or result are not in the
    /// vocabulary (or whose result is not made of byte characters), a repeated merge. The message names the file and, where there is one, the line.
    /// </exception>
    public static ByteLevelBpe Load(string vocabPath, string mergesPath)
    {
        string[] tokens = ReadVocabulary(vocabPath);
        var merges = ReadMerges(mergesPath, tokens);
        return new ByteLevelBpe(tokens, merges);
    }

    /// <summary>Writes <paramref name="tokens"/> (by id) and <paramref name="merges"/> (by rank) atomically.</summary>
    internal static void Save(string vocabPath, string mergesPath, string[] tokens, (int Left, int Right, int Result)[] merges)
    {
        AtomicFile.Write(vocabPath, stream =>
        {
            // One entry per line, so a load error's line number points at the entry.
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            json.WriteStartObject();
            for (int id = 0; id < tokens.Length; id++) json.WriteNumber(tokens[id], id);
            json.WriteEndObject();
        });
        AtomicFile.Write(mergesPath, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true) { NewLine = "\n" };
            writer.WriteLine(MergesHeader);
            foreach (var merge in merges) writer.WriteLine($"{tokens[merge.Left]} {tokens[merge.Right]}");
        });
    }

    private static string[] ReadVocabulary(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty) throw new InvalidDataException($"{path} is empty; expected GPT-2's vocab.json object of token to id.");
        var idOfToken = new Dictionary<string, int>(StringComparer.Ordinal);
        var tokenOfId = new Dictionary<int, string>();
        var reader = new Utf8JsonReader(bytes);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw Malformed(path, bytes, reader, "expected a JSON object of token to id");
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                string token = reader.GetString()!;
                if (token.Length == 0) throw Malformed(path, bytes, reader, "a token is the empty string");
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out int id) || id < 0)
                    throw Malformed(path, bytes, reader, $"the id of '{token}' is not a non-negative integer");
                if (!idOfToken.TryAdd(token, id)) throw Malformed(path, bytes, reader, $"'{token}' appears twice");
                if (!tokenOfId.TryAdd(id, token)) throw Malformed(path, bytes, reader, $"id {id} of '{token}' is already the id of '{tokenOfId[id]}'");
            }
            if (reader.Read()) throw Malformed(path, bytes, reader, "more follows the object");
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader refuses to transcode a string that is not UTF-8.
            throw Malformed(path, bytes, reader, $"not valid UTF-8: {e.Message}");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} line {e.LineNumber + 1}: not valid JSON: {e.Message}", e);
        }

        var tokens = new string[tokenOfId.Count];
        for (int id = 0; id < tokens.Length; id++)
            tokens[id] = tokenOfId.TryGetValue(id, out string? token) ? token : throw new InvalidDataException($"{path}: no token has id {id}, yet ids run to {tokenOfId.Keys.Max()}");
        for (int b = 0; b < ByteLevelAlphabet.ByteCount; b++)
        {
            char symbol = ByteLevelAlphabet.ToChar((byte)b);
            if (!idOfToken.ContainsKey(symbol.ToString()))
                throw new InvalidDataException($"{path}: byte 0x{b:X2} has no token ('{symbol}'); a byte-level vocabulary needs all 256");
        }
        return tokens;
    }

    private static InvalidDataException Malformed(string path, byte[] bytes, Utf8JsonReader reader, string problem)
    {
        int line = 1 + bytes.AsSpan(0, (int)Math.Min(reader.TokenStartIndex, bytes.Length)).Count((byte)'\n');
        return new InvalidDataException($"{path} line {line}: {problem}");
    }

    private static (int Left, int Right, int Result)[] ReadMerges(string path, string[] tokens)
    {
        var idOfToken = new Dictionary<string, int>(tokens.Length, StringComparer.Ordinal);
        for (int id = 0; id < tokens.Length; id++) idOfToken.Add(tokens[id], id);
        var lineOfPair = new Dictionary<long, int>();
        var merges = new List<(int, int, int)>();
        using var reader = new StreamReader(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
        int lineNumber = 1;
        try
        {
            string? header = reader.ReadLine();
            if (header is null) throw new InvalidDataException($"{path} is empty; expected '{MergesHeader}' and then one merge per line.");
            if (!header.StartsWith("#version", StringComparison.Ordinal))
                throw new InvalidDataException($"{path} line 1: expected the header '{MergesHeader}', found '{header}'");
            for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
            {
                lineNumber++;
                string[] parts = line.Split(' ');
                if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                    throw new InvalidDataException($"{path} line {lineNumber}: expected two tokens separated by one space, found '{line}'");
                int left = IdOf(parts[0]), right = IdOf(parts[1]);
                if (!idOfToken.TryGetValue(parts[0] + parts[1], out int result))
                    throw new InvalidDataException($"{path} line {lineNumber}: the merge's result '{parts[0] + parts[1]}' is not in the vocabulary");
                if (ByteLevelAlphabet.ToBytes(tokens[result]) is null)
                    throw new InvalidDataException($"{path} line {lineNumber}: the merge's result '{tokens[result]}' holds a character outside GPT-2's byte alphabet");
                if (!lineOfPair.TryAdd(MergeTable.Key(left, right), lineNumber))
                    throw new InvalidDataException($"{path} line {lineNumber}: the merge '{line}' repeats line {lineOfPair[MergeTable.Key(left, right)]}");
                merges.Add((left, right, result));
            }
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"{path} near line {lineNumber}: not valid UTF-8", e);
        }
        return [.. merges];

        int IdOf(string token) => idOfToken.TryGetValue(token, out int id) ? id
            : throw new InvalidDataException($"{path} line {lineNumber}: '{token}' is not in the vocabulary");
    }
}
