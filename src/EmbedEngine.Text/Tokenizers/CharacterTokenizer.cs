using System.Globalization;
using System.Text;
using System.Text.Json;
using EmbedEngine.Kernels.IO;

namespace EmbedEngine.Text.Tokenizers;

/// <summary>
/// One id per character, as nanoGPT's shakespeare_char builds it: the vocabulary is the distinct characters of a
/// training text sorted by code point (sorted(set(text))), so Tiny Shakespeare gives 65 ids, '\n' = 0, ' ' = 1.
/// </summary>
/// <remarks>
/// A character is a Unicode scalar value: a surrogate pair is one character, never two, and a lone surrogate is
/// not a character (an <see cref="ArgumentException"/>). Combining marks are characters of their own, as in
/// Python. Thread-safe.
/// </remarks>
public sealed class CharacterTokenizer : ITokenizer
{
    private readonly string[] _symbols;
    private readonly Dictionary<int, int> _idOfScalar;

    private CharacterTokenizer(string[] symbols)
    {
        _symbols = symbols;
        _idOfScalar = new Dictionary<int, int>(symbols.Length);
        for (int id = 0; id < symbols.Length; id++) _idOfScalar.Add(Rune.GetRuneAt(symbols[id], 0).Value, id);
    }

    /// <inheritdoc />
    public int VocabularySize => _symbols.Length;

    /// <summary>The characters by id, each a string of one scalar value (one or two UTF-16 code units).</summary>
    public IReadOnlyList<string> Symbols => Array.AsReadOnly(_symbols);

    /// <summary>The vocabulary of the distinct characters of <paramref name="text"/>, sorted by code point.</summary>
    /// <exception cref="ArgumentException"><paramref name="text"/> holds a lone surrogate.</exception>
    public static CharacterTokenizer FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var scalars = new HashSet<int>();
        for (int at = 0; at < text.Length;)
        {
            Rune rune = RuneAt(text, at);
            scalars.Add(rune.Value);
            at += rune.Utf16SequenceLength;
        }
        return new CharacterTokenizer([.. scalars.Order().Select(scalar => new Rune(scalar).ToString())]);
    }

    /// <summary>The vocabulary <paramref name="symbols"/> in the given order (as <see cref="Symbols"/> gave it).</summary>
    /// <exception cref="ArgumentException">A symbol is not exactly one character, or repeats.</exception>
    public static CharacterTokenizer FromSymbols(IEnumerable<string> symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        string[] list = [.. symbols];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int id = 0; id < list.Length; id++)
        {
            string symbol = list[id] ?? throw new ArgumentException($"Symbol {id} is null.", nameof(symbols));
            if (symbol.Length == 0 || Rune.DecodeFromUtf16(symbol, out _, out int used) != System.Buffers.OperationStatus.Done || used != symbol.Length)
                throw new ArgumentException($"Symbol {id} (\"{Escape(symbol)}\") is not exactly one character.", nameof(symbols));
            if (!seen.Add(symbol)) throw new ArgumentException($"Symbol {id} ({Describe(Rune.GetRuneAt(symbol, 0))}) repeats.", nameof(symbols));
        }
        return new CharacterTokenizer(list);
    }

    /// <summary>The vocabulary as a JSON array of strings, in id order (for a checkpoint's metadata).</summary>
    public string ToJson() => JsonSerializer.Serialize(_symbols);

    /// <summary>The vocabulary from <see cref="ToJson"/>'s array.</summary>
    /// <exception cref="InvalidDataException">The text is not a JSON array of one-character strings without repeats.</exception>
    public static CharacterTokenizer FromJson(string json)
    {
        string[]? symbols;
        try
        {
            symbols = JsonSerializer.Deserialize<string[]>(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The character vocabulary is not a JSON array of strings (line {e.LineNumber + 1}): {e.Message}", e);
        }
        if (symbols is null) throw new InvalidDataException("The character vocabulary is null, not a JSON array of strings.");
        try
        {
            return FromSymbols(symbols);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The character vocabulary is malformed: {e.Message}", e);
        }
    }

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/> atomically.</summary>
    public void Save(string path) => AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(ToJson())));

    /// <summary>Reads a vocabulary that <see cref="Save"/> wrote.</summary>
    /// <exception cref="InvalidDataException">The file is empty or malformed; the message names it.</exception>
    public static CharacterTokenizer Load(string path)
    {
        string json = File.ReadAllText(path);
        if (string.IsNullOrWhiteSpace(json)) throw new InvalidDataException($"{path} is empty; expected a JSON array of characters.");
        try
        {
            return FromJson(json);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A character is not in the vocabulary (the message names it and its position), or a surrogate is lone.</exception>
    public void Encode(string text, List<int> ids)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(ids);
        for (int at = 0; at < text.Length;)
        {
            Rune rune = RuneAt(text, at);
            if (!_idOfScalar.TryGetValue(rune.Value, out int id))
                throw new ArgumentException($"The character {Describe(rune)} at position {at} is not in the vocabulary of {_symbols.Length} characters.", nameof(text));
            ids.Add(id);
            at += rune.Utf16SequenceLength;
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the vocabulary.</exception>
    public string Decode(ReadOnlySpan<int> ids)
    {
        var text = new StringBuilder(ids.Length);
        for (int i = 0; i < ids.Length; i++)
        {
            if ((uint)ids[i] >= (uint)_symbols.Length)
                throw new ArgumentOutOfRangeException(nameof(ids), ids[i], $"Id {ids[i]} at position {i} is outside the vocabulary of {_symbols.Length} characters.");
            text.Append(_symbols[ids[i]]);
        }
        return text.ToString();
    }

    private static Rune RuneAt(string text, int at)
    {
        if (Rune.DecodeFromUtf16(text.AsSpan(at), out Rune rune, out _) != System.Buffers.OperationStatus.Done)
            throw new ArgumentException($"The text holds a lone surrogate U+{(int)text[at]:X4} at position {at}, which is not a character.", nameof(text));
        return rune;
    }

    /// <summary>'x' (U+0078) for a visible character, just U+000A for one that would not show (controls, spaces, marks).</summary>
    private static string Describe(Rune rune)
    {
        string code = $"U+{rune.Value:X4}";
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse
                or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark => code,
            _ => $"'{rune}' ({code})",
        };
    }

    private static string Escape(string text) => string.Concat(text.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:X4}" : c.ToString()));
}
