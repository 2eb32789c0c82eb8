using System.Globalization;
using System.Text.Json;
using EmbedEngine.Kernels.IO;
using EmbedEngine.Text.Tokenizers;

namespace EmbedEngine.Models.Contextual;

/// <summary>
/// A language model on disk: a folder holding model.safetensors (every parameter, by its GPT-2-style or PyTorch name) and
/// model.json (the <see cref="ContextualConfig"/> and the tokenizer: a character model's characters in id order, or
/// the names of vocab.json and merges.txt, copied into the folder). Both files are written atomically, model.json
/// last. Loading checks every tensor's name and shape against the configuration before anything is used.
/// </summary>
public static class ContextualCheckpoint
{
    /// <summary>The parameters' file in a checkpoint folder.</summary>
    public const string TensorsFile = "model.safetensors";

    /// <summary>The configuration's file in a checkpoint folder.</summary>
    public const string ConfigFile = "model.json";

    private const string Format = "embedengine-contextual";
    private const int Version = 1;

    /// <summary>Writes <paramref name="model"/> into <paramref name="folder"/> (created if needed).</summary>
    public static void Save(LanguageModel model, string folder)
    {
        Directory.CreateDirectory(folder);
        ContextualConfig config = model.Config with { Tokenizer = model.Config.Tokenizer.CopyFilesTo(folder) };
        model.Save(Path.Combine(folder, TensorsFile), new Dictionary<string, string> { ["format"] = Format, ["kind"] = KindName(config.Kind) });
        AtomicFile.Write(Path.Combine(folder, ConfigFile), stream =>
        {
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteNumber("version", Version);
            json.WriteString("kind", KindName(config.Kind));
            json.WriteNumber("vocabulary_size", config.VocabularySize);
            json.WriteNumber("layers", config.Layers);
            if (config.Kind != ContextualModelKind.Lstm) json.WriteNumber("heads", config.Heads);
            json.WriteNumber("dimension", config.Dimension);
            json.WriteNumber("context", config.Context);
            json.WriteNumber("dropout", config.Dropout);
            json.WritePropertyName("tokenizer");
            config.Tokenizer.Write(json);
            json.WriteEndObject();
        });
    }

    /// <summary>
    /// Loads the checkpoint in <paramref name="path"/> (its folder, or its model.json); <paramref name="dropout"/>, when
    /// given, replaces the saved dropout rate for further training (fine-tuning usually wants its own).
    /// </summary>
    /// <exception cref="FileNotFoundException">The folder lacks model.json or model.safetensors.</exception>
    /// <exception cref="InvalidDataException">A file is broken, or the tensors disagree with the configuration.</exception>
    public static LanguageModel Load(string path, float? dropout = null)
    {
        (string configPath, string tensorsPath) = CheckpointFolder.Locate(path, ConfigFile, TensorsFile, "model");
        ContextualConfig config = ReadConfig(configPath);
        if (dropout is { } rate) config = config with { Dropout = rate };
        string folder = Path.GetDirectoryName(tensorsPath)!;
        ITokenizer tokenizer = CreateTokenizer(config.Tokenizer, folder, configPath);
        config = config with { Tokenizer = config.Tokenizer.RootedAt(folder) };
        if (tokenizer.VocabularySize != config.VocabularySize)
            throw new InvalidDataException($"{configPath}: the tokenizer has {tokenizer.VocabularySize} ids but \"vocabulary_size\" is {config.VocabularySize}.");
        return CheckpointFolder.LoadParameters(LanguageModel.Create(config, tokenizer, seed: 0), tensorsPath, configPath, Describe(config));
    }

    /// <summary>The checkpoint's tokenizer; a description it cannot build from is the checkpoint's fault.</summary>
    private static ITokenizer CreateTokenizer(TokenizerDescription description, string folder, string configPath)
    {
        try
        {
            return description.Create(folder);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{configPath}: its tokenizer cannot be built: {e.Message}", e);
        }
    }

    /// <summary>Reads and checks model.json.</summary>
    public static ContextualConfig ReadConfig(string path)
    {
        using (JsonDocument document = CheckpointFolder.ParseJson(path))
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out JsonElement format) || format.ValueKind != JsonValueKind.String || format.GetString() != Format)
                throw new InvalidDataException($"{path} is not an EmbedEngine language model: it lacks \"format\": \"{Format}\".");
            int version = ConfigJson.Int(root, "version", path);
            if (version != Version) throw new InvalidDataException($"{path} has version {version}; this build reads version {Version}.");
            string kind = ConfigJson.String(root, "kind", path);
            var config = new ContextualConfig
            {
                Kind = kind switch
                {
                    "gpt" => ContextualModelKind.Gpt,
                    "bert" => ContextualModelKind.Bert,
                    "lstm" => ContextualModelKind.Lstm,
                    _ => throw new InvalidDataException($"{path}: unknown model kind \"{kind}\" (expected \"gpt\", \"bert\" or \"lstm\")."),
                },
                VocabularySize = ConfigJson.Int(root, "vocabulary_size", path),
                Layers = ConfigJson.Int(root, "layers", path),
                Heads = kind == "lstm" ? new ContextualConfig().Heads : ConfigJson.Int(root, "heads", path), // unused by an LSTM: left at its default
                Dimension = ConfigJson.Int(root, "dimension", path),
                Context = ConfigJson.Int(root, "context", path),
                Dropout = ConfigJson.Float(root, "dropout", path),
                Tokenizer = TokenizerDescription.Read(ConfigJson.Field(root, "tokenizer", path), path),
            };
            try
            {
                config.Validate();
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{path}: {e.Message}", e);
            }
            return config;
        }
    }

    /// <summary>model.json's name of a kind.</summary>
    public static string KindName(ContextualModelKind kind) => kind switch
    {
        ContextualModelKind.Gpt => "gpt",
        ContextualModelKind.Bert => "bert",
        _ => "lstm",
    };

    /// <summary>One line of the sizes, for messages and logs.</summary>
    public static string Describe(ContextualConfig config) => config.Kind == ContextualModelKind.Lstm
        ? string.Create(CultureInfo.InvariantCulture, $"lstm, {config.Layers} layers, dimension {config.Dimension}, windows of {config.Context}, vocabulary {config.VocabularySize}")
        : string.Create(CultureInfo.InvariantCulture,
            $"{KindName(config.Kind)}, {config.Layers} layers, {config.Heads} heads, dimension {config.Dimension}, context {config.Context}, vocabulary {config.VocabularySize}");
}
