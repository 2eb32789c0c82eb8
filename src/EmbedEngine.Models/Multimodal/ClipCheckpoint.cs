using System.Globalization;
using System.Text.Json;
using EmbedEngine.Kernels.IO;
using EmbedEngine.Models.Contextual;

namespace EmbedEngine.Models.Multimodal;

/// <summary>
/// A CLIP-like model on disk: a folder holding model.safetensors (every parameter by name) and model.json (the
/// <see cref="ClipConfig"/> and the caption words in id order), both written atomically, model.json last. Loading
/// checks the format, then every tensor's name and shape against the configuration, before anything is used.
/// </summary>
public static class ClipCheckpoint
{
    /// <summary>The parameters' file in a checkpoint folder.</summary>
    public const string TensorsFile = "model.safetensors";

    /// <summary>The configuration's file in a checkpoint folder.</summary>
    public const string ConfigFile = "model.json";

    private const string Format = "embedengine-clip";
    private const int Version = 1;

    /// <summary>Whether the folder or model.json at <paramref name="path"/> holds a CLIP-like model.</summary>
    public static bool Holds(string path) => CheckpointFolder.HoldsFormat(path, ConfigFile, Format);

    /// <summary>Writes <paramref name="model"/> into <paramref name="folder"/> (created if needed).</summary>
    public static void Save(ClipModel model, string folder)
    {
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(folder);
        ClipConfig config = model.Config;
        // The sizes travel with the tensors too: heads change no shape, so only this catches a model.json edited apart from them.
        model.Save(Path.Combine(folder, TensorsFile), new Dictionary<string, string> { ["format"] = Format, ["config"] = Describe(config) });
        AtomicFile.Write(Path.Combine(folder, ConfigFile), stream =>
        {
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteNumber("version", Version);
            json.WriteNumber("image_size", config.ImageSize);
            json.WriteNumber("patch", config.Patch);
            json.WriteNumber("image_dimension", config.ImageDimension);
            json.WriteNumber("image_layers", config.ImageLayers);
            json.WriteNumber("text_dimension", config.TextDimension);
            json.WriteNumber("text_layers", config.TextLayers);
            json.WriteNumber("heads", config.Heads);
            json.WriteNumber("embedding_dimension", config.EmbeddingDimension);
            json.WriteNumber("text_context", config.TextContext);
            json.WriteStartArray("words");
            foreach (string word in model.Vocabulary.Words) json.WriteStringValue(word);
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    /// <summary>Loads the checkpoint in <paramref name="path"/> (its folder, or its model.json).</summary>
    /// <exception cref="FileNotFoundException">The folder lacks model.json or model.safetensors.</exception>
    /// <exception cref="InvalidDataException">A file is broken, is another kind of model, or disagrees with the configuration.</exception>
    public static ClipModel Load(string path)
    {
        (string configPath, string tensorsPath) = CheckpointFolder.Locate(path, ConfigFile, TensorsFile, "CLIP model");
        (ClipConfig config, CaptionVocabulary vocabulary) = ReadConfig(configPath);
        string description = Describe(config);
        ClipModel model = CheckpointFolder.LoadParameters(new ClipModel(config, vocabulary, seed: 0), tensorsPath, configPath, description,
            metadata =>
            {
                // Sizes that change no tensor's shape (heads) are caught only by those saved with the tensors.
                if (metadata.TryGetValue("config", out string? saved) && saved != description)
                    throw new InvalidDataException($"{configPath} describes {description}, but {tensorsPath} was saved as {saved}.");
            });
        model.Eval();
        return model;
    }

    /// <summary>Reads and checks model.json.</summary>
    public static (ClipConfig Config, CaptionVocabulary Vocabulary) ReadConfig(string path)
    {
        using (JsonDocument document = CheckpointFolder.ParseJson(path))
        {
            JsonElement root = document.RootElement;
            string? format = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("format", out JsonElement f) && f.ValueKind == JsonValueKind.String
                ? f.GetString() : null;
            if (format != Format)
                throw new InvalidDataException(format == null
                    ? $"{path} is not an EmbedEngine CLIP model: it lacks \"format\": \"{Format}\"."
                    : $"{path} is a \"{format}\" model, not a CLIP model (\"{Format}\").");
            int version = ConfigJson.Int(root, "version", path);
            if (version != Version) throw new InvalidDataException($"{path} has version {version}; this build reads version {Version}.");
            JsonElement words = ConfigJson.Field(root, "words", path);
            if (words.ValueKind != JsonValueKind.Array || words.EnumerateArray().Any(w => w.ValueKind != JsonValueKind.String))
                throw new InvalidDataException($"{path}: \"words\" must be an array of strings.");
            CaptionVocabulary vocabulary;
            try
            {
                vocabulary = new CaptionVocabulary(words.EnumerateArray().Select(w => w.GetString()!).ToArray());
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{path}: {e.Message}", e);
            }
            var config = new ClipConfig
            {
                ImageSize = ConfigJson.Int(root, "image_size", path),
                Patch = ConfigJson.Int(root, "patch", path),
                ImageDimension = ConfigJson.Int(root, "image_dimension", path),
                ImageLayers = ConfigJson.Int(root, "image_layers", path),
                TextDimension = ConfigJson.Int(root, "text_dimension", path),
                TextLayers = ConfigJson.Int(root, "text_layers", path),
                Heads = ConfigJson.Int(root, "heads", path),
                EmbeddingDimension = ConfigJson.Int(root, "embedding_dimension", path),
                TextContext = ConfigJson.Int(root, "text_context", path),
                VocabularySize = vocabulary.Size,
            };
            try
            {
                config.Validate();
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{path}: {e.Message}", e);
            }
            return (config, vocabulary);
        }
    }

    /// <summary>One line of the sizes, for messages and logs.</summary>
    public static string Describe(ClipConfig config) => string.Create(CultureInfo.InvariantCulture,
        $"CLIP, image {config.ImageSize}x{config.ImageSize} in {config.Patch}x{config.Patch} patches, ViT {config.ImageLayers} layers x {config.ImageDimension}, text {config.TextLayers} layers x {config.TextDimension}, {config.Heads} heads, embedding {config.EmbeddingDimension}, vocabulary {config.VocabularySize}");
}
