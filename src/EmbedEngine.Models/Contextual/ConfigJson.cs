using System.Text.Json;

namespace EmbedEngine.Models.Contextual;

/// <summary>Typed reads of model.json's fields, each failure an <see cref="InvalidDataException"/> naming the file and the field.</summary>
internal static class ConfigJson
{
    public static JsonElement Field(JsonElement element, string name, string path) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value)
            ? value
            : throw new InvalidDataException($"{path}: the field \"{name}\" is missing.");

    public static string String(JsonElement element, string name, string path)
    {
        JsonElement value = Field(element, name, path);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new InvalidDataException($"{path}: \"{name}\" must be a string.");
    }

    public static int Int(JsonElement element, string name, string path)
    {
        JsonElement value = Field(element, name, path);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int result)
            ? result
            : throw new InvalidDataException($"{path}: \"{name}\" must be an integer.");
    }

    public static float Float(JsonElement element, string name, string path)
    {
        JsonElement value = Field(element, name, path);
        return value.ValueKind == JsonValueKind.Number && value.TryGetSingle(out float result) && float.IsFinite(result)
            ? result
            : throw new InvalidDataException($"{path}: \"{name}\" must be a number.");
    }
}
