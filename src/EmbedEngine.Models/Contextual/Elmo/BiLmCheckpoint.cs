using System.Globalization;
using System.Text.Json;
using EmbedEngine.Kernels.IO;

namespace EmbedEngine.Models.Contextual.Elmo;

/// <summary>
/// A bidirectional language model on disk: a folder holding model.safetensors (every parameter by name) and
/// model.json (the <see cref="BiLmConfig"/> with its vocabulary), both written atomically, model.json last. Loading
/// checks every tensor's name and shape against the configuration.
/// </summary>
public static class BiLmCheckpoint
{
    /// <summary>The identifying "format" of model.json.</summary>
    public const string Format = "embedengine-bilm";

    private const int Version = 1;

    /// <summary>Whether the folder or model.json at <paramref name="path"/> holds a bidirectional language model.</summary>
    public static bool Holds(string path) => CheckpointFolder.HoldsFormat(path, ContextualCheckpoint.ConfigFile, Format);

    /// <summary>Writes <paramref name="model"/> into <paramref name="folder"/> (created if needed).</summary>
    public static void Save(BidirectionalLanguageModel model, string folder)
    {
        Directory.CreateDirectory(folder);
        BiLmConfig config = model.Config;
        model.Save(Path.Combine(folder, ContextualCheckpoint.TensorsFile), new Dictionary<string, string> { ["format"] = Format });
        AtomicFile.Write(Path.Combine(folder, ContextualCheckpoint.ConfigFile), stream =>
        {
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteNumber("version", Version);
            json.WriteNumber("dimension", config.Dimension);
            json.WriteNumber("cells", config.Cells);
            json.WriteNumber("layers", config.Layers);
            json.WriteNumber("context", config.Context);
            json.WriteNumber("minn", config.MinN);
            json.WriteNumber("maxn", config.MaxN);
            json.WriteNumber("buckets", config.Buckets);
            json.WriteNumber("dropout", config.Dropout);
            json.WriteStartArray("words");
            foreach (string word in config.Words) json.WriteStringValue(word);
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    /// <summary>Loads the checkpoint in <paramref name="path"/> (its folder, or its model.json).</summary>
    /// <exception cref="FileNotFoundException">The folder lacks model.json or model.safetensors.</exception>
    /// <exception cref="InvalidDataException">A file is broken, or the tensors disagree with the configuration.</exception>
    public static BidirectionalLanguageModel Load(string path)
    {
        (string configPath, string tensorsPath) = CheckpointFolder.Locate(path, ContextualCheckpoint.ConfigFile, ContextualCheckpoint.TensorsFile, "model");
        BiLmConfig config = ReadConfig(configPath);
        BidirectionalLanguageModel model;
        try
        {
            model = new BidirectionalLanguageModel(config, seed: 0);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{configPath}: {e.Message}", e);
        }
        return CheckpointFolder.LoadParameters(model, tensorsPath, configPath, Describe(config));
    }

    private static BiLmConfig ReadConfig(string path)
    {
        using JsonDocument document = CheckpointFolder.ParseJson(path);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out JsonElement format) || format.GetString() != Format)
            throw new InvalidDataException($"{path} is not an EmbedEngine bidirectional language model: it lacks \"format\": \"{Format}\".");
        int version = ConfigJson.Int(root, "version", path);
        if (version != Version) throw new InvalidDataException($"{path} has version {version}; this build reads version {Version}.");
        JsonElement words = ConfigJson.Field(root, "words", path);
        if (words.ValueKind != JsonValueKind.Array) throw new InvalidDataException($"{path}: \"words\" must be an array of strings.");
        var list = new List<string>(words.GetArrayLength());
        foreach (JsonElement word in words.EnumerateArray())
            list.Add(word.ValueKind == JsonValueKind.String && word.GetString() is { Length: > 0 } w ? w : throw new InvalidDataException($"{path}: \"words\" holds something other than a word."));
        var config = new BiLmConfig
        {
            Dimension = ConfigJson.Int(root, "dimension", path),
            Cells = ConfigJson.Int(root, "cells", path),
            Layers = ConfigJson.Int(root, "layers", path),
            Context = ConfigJson.Int(root, "context", path),
            MinN = ConfigJson.Int(root, "minn", path),
            MaxN = ConfigJson.Int(root, "maxn", path),
            Buckets = ConfigJson.Int(root, "buckets", path),
            Dropout = ConfigJson.Float(root, "dropout", path),
            Words = list,
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

    /// <summary>One line of the sizes, for messages and logs.</summary>
    public static string Describe(BiLmConfig config) => string.Create(CultureInfo.InvariantCulture,
        $"bidirectional LM, {config.Layers} layers of {config.Cells} cells projected to {config.Dimension} per direction, windows of {config.Context} words, vocabulary {config.Words.Count}, n-grams {config.MinN}-{config.MaxN} in {config.Buckets} buckets");
}
