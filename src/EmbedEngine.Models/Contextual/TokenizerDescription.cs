using System.Text.Json;
using EmbedEngine.Kernels.IO;
using EmbedEngine.Text.Tokenizers;

namespace EmbedEngine.Models.Contextual;

/// <summary>
/// What model.json records to rebuild a model's tokenizer: a character model's characters in id order, or a
/// byte-level BPE model's vocab.json and merges.txt, which <see cref="ContextualCheckpoint.Save"/> copies beside the
/// checkpoint (the description then names them relative to it).
/// </summary>
public sealed record TokenizerDescription
{
    /// <summary>model.json's name for a character tokenizer.</summary>
    public const string CharacterKind = "char";

    /// <summary>model.json's name for a byte-level BPE tokenizer.</summary>
    public const string BpeKind = "bpe";

    private TokenizerDescription(string kind, IReadOnlyList<string> characters, string? vocabularyFile, string? mergesFile)
    {
        Kind = kind;
        CharacterList = characters;
        VocabularyFile = vocabularyFile;
        MergesFile = mergesFile;
    }

    /// <summary><see cref="CharacterKind"/> or <see cref="BpeKind"/>.</summary>
    public string Kind { get; }

    /// <summary>A character tokenizer's characters, id i at index i; empty for BPE.</summary>
    public IReadOnlyList<string> CharacterList { get; }

    /// <summary>A BPE tokenizer's vocab.json (absolute before saving, the file name in a checkpoint).</summary>
    public string? VocabularyFile { get; }

    /// <summary>A BPE tokenizer's merges.txt (absolute before saving, the file name in a checkpoint).</summary>
    public string? MergesFile { get; }

    /// <summary>A character tokenizer over <paramref name="characters"/>, id i being characters[i].</summary>
    public static TokenizerDescription Characters(IReadOnlyList<string> characters) => new(CharacterKind, characters, null, null);

    /// <summary>A character tokenizer over the sorted distinct characters of <paramref name="text"/>.</summary>
    /// <exception cref="ArgumentException">The text holds a lone surrogate.</exception>
    public static TokenizerDescription CharactersOf(string text) => Characters(CharacterTokenizer.FromText(text).Symbols);

    /// <summary>A byte-level BPE tokenizer read from GPT-2's two files.</summary>
    public static TokenizerDescription Bpe(string vocabularyFile, string mergesFile) => new(BpeKind, [], vocabularyFile, mergesFile);

    /// <summary>The description of a character tokenizer (a BPE tokenizer does not know its files: use <see cref="Bpe"/>).</summary>
    /// <exception cref="ArgumentException">The tokenizer is of a kind this cannot describe.</exception>
    public static TokenizerDescription Of(ITokenizer tokenizer) => tokenizer is CharacterTokenizer characters
        ? Characters(characters.Symbols)
        : throw new ArgumentException($"Only a character tokenizer describes itself; describe a {tokenizer.GetType().Name} with TokenizerDescription.Bpe(vocab, merges).");

    /// <summary>The tokenizer, reading BPE files relative to <paramref name="folder"/> (a checkpoint's folder).</summary>
    /// <exception cref="ArgumentException">A character list that is not one character per id without repeats.</exception>
    /// <exception cref="FileNotFoundException">A BPE file is missing.</exception>
    /// <exception cref="InvalidDataException">A BPE file is malformed.</exception>
    public ITokenizer Create(string folder) => Kind == CharacterKind
        ? CharacterTokenizer.FromSymbols(CharacterList)
        : ByteLevelBpe.Load(Path.Combine(folder, VocabularyFile!), Path.Combine(folder, MergesFile!));

    /// <summary>The description with a BPE tokenizer's file names made absolute from <paramref name="folder"/>, so a loaded model saves anywhere.</summary>
    internal TokenizerDescription RootedAt(string folder) => Kind != BpeKind
        ? this
        : Bpe(Path.GetFullPath(Path.Combine(folder, VocabularyFile!)), Path.GetFullPath(Path.Combine(folder, MergesFile!)));

    /// <summary>Copies a BPE tokenizer's files into <paramref name="folder"/>; returns the description that names the copies.</summary>
    internal TokenizerDescription CopyFilesTo(string folder)
    {
        if (Kind != BpeKind) return this;
        const string vocabularyName = "vocab.json", mergesName = "merges.txt";
        CopyInto(VocabularyFile!, Path.Combine(folder, vocabularyName));
        CopyInto(MergesFile!, Path.Combine(folder, mergesName));
        return Bpe(vocabularyName, mergesName);
    }

    /// <summary>Writes the "tokenizer" object of model.json.</summary>
    internal void Write(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("kind", Kind);
        if (Kind == CharacterKind)
        {
            json.WriteStartArray("characters");
            foreach (string character in CharacterList) json.WriteStringValue(character);
            json.WriteEndArray();
        }
        else
        {
            json.WriteString("vocab", VocabularyFile);
            json.WriteString("merges", MergesFile);
        }
        json.WriteEndObject();
    }

    /// <summary>Reads the "tokenizer" object of model.json.</summary>
    internal static TokenizerDescription Read(JsonElement element, string path)
    {
        string kind = ConfigJson.String(element, "kind", path);
        switch (kind)
        {
            case CharacterKind:
                if (!element.TryGetProperty("characters", out JsonElement list) || list.ValueKind != JsonValueKind.Array)
                    throw new InvalidDataException($"{path}: the character tokenizer has no \"characters\" list.");
                var characters = new List<string>();
                foreach (JsonElement item in list.EnumerateArray())
                    characters.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw new InvalidDataException($"{path}: \"characters\" holds a {item.ValueKind}, not a string."));
                return Characters(characters);
            case BpeKind:
                return Bpe(FileName(ConfigJson.String(element, "vocab", path), path), FileName(ConfigJson.String(element, "merges", path), path));
            default:
                throw new InvalidDataException($"{path}: unknown tokenizer kind \"{kind}\" (expected \"{CharacterKind}\" or \"{BpeKind}\").");
        }
    }

    /// <summary>A file named by a checkpoint must sit beside it: a bare name, never a path out of the folder.</summary>
    private static string FileName(string name, string path) =>
        name.Length > 0 && Path.GetFileName(name) == name && name is not ("." or "..")
            ? name
            : throw new InvalidDataException($"{path}: the tokenizer file \"{name}\" is not a plain file name beside the checkpoint.");

    private static void CopyInto(string source, string target)
    {
        if (Path.GetFullPath(source) == Path.GetFullPath(target)) return;
        byte[] bytes = File.ReadAllBytes(source);
        AtomicFile.Write(target, stream => stream.Write(bytes));
    }
}
