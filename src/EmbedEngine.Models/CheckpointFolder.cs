using System.Text.Json;
using EmbedEngine.Tensors.IO;
using EmbedEngine.Tensors.Modules;

namespace EmbedEngine.Models;

/// <summary>
/// A model saved as a folder of a JSON configuration beside a safetensors file of its parameters, as the language
/// models and the CLIP-like model are: finding the two files, parsing the configuration, and loading the parameters
/// into a model built from it, with a file that disagrees reported against what the configuration describes.
/// </summary>
internal static class CheckpointFolder
{
    /// <summary>The configuration and tensor files of <paramref name="path"/> (the folder, or its configuration file).</summary>
    /// <param name="path">The folder or its configuration file.</param>
    /// <param name="configFile">The configuration's file name in the folder.</param>
    /// <param name="tensorsFile">The parameters' file name in the folder.</param>
    /// <param name="kind">What the folder holds, for messages ("model", "CLIP model").</param>
    /// <exception cref="FileNotFoundException">The path or either file is missing.</exception>
    public static (string ConfigPath, string TensorsPath) Locate(string path, string configFile, string tensorsFile, string kind)
    {
        if (!Directory.Exists(path) && !File.Exists(path))
            throw new FileNotFoundException($"{path} does not exist: a {kind} is a folder holding {configFile} and {tensorsFile}.", path);
        string folder = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path))!;
        string configPath = Directory.Exists(path) ? Path.Combine(folder, configFile) : path;
        string tensorsPath = Path.Combine(folder, tensorsFile);
        foreach (string file in new[] { configPath, tensorsPath })
            if (!File.Exists(file)) throw new FileNotFoundException($"{file} does not exist: a {kind} folder holds {configFile} and {tensorsFile}.", file);
        return (configPath, tensorsPath);
    }

    /// <summary>Whether the folder (or configuration file) at <paramref name="path"/> names <paramref name="format"/> in its configuration's "format".</summary>
    public static bool HoldsFormat(string path, string configFile, string format)
    {
        string json = Directory.Exists(path) ? Path.Combine(path, configFile) : path;
        if (!File.Exists(json)) return false;
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(json));
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("format", out JsonElement named)
                && named.ValueKind == JsonValueKind.String && named.GetString() == format;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The configuration file parsed.</summary>
    /// <exception cref="InvalidDataException">It is not valid JSON.</exception>
    public static JsonDocument ParseJson(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>
    /// Loads <paramref name="tensorsPath"/> into <paramref name="model"/>, then runs <paramref name="check"/> on the
    /// file's metadata; returns the model. On any failure the model is disposed, and a file whose tensors do not fit
    /// is reported with <paramref name="description"/>, what <paramref name="configPath"/> describes.
    /// </summary>
    public static T LoadParameters<T>(T model, string tensorsPath, string configPath, string description,
        Action<IReadOnlyDictionary<string, string>>? check = null) where T : Module
    {
        try
        {
            IReadOnlyDictionary<string, string> metadata = model.Load(tensorsPath);
            check?.Invoke(metadata);
            return model;
        }
        catch (SafetensorsFormatException e)
        {
            model.Dispose();
            throw new InvalidDataException($"{e.Message} (the model {configPath} describes: {description})", e);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
