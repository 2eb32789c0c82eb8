using System.Text.Json;

namespace EmbedEngine.Tensors.IO;

/// <summary>Parses and checks a safetensors header against the format's rules and the size of the data that follows it.</summary>
internal static class SafetensorsHeader
{
    private const string MetadataKey = "__metadata__";

    /// <summary>The declared tensors ordered by their position in the data, each checked; throws on the first broken rule.</summary>
    public static List<SafetensorsEntry> Parse(string path, byte[] header, long dataLength, out Dictionary<string, string> metadata)
    {
        if (header.Length == 0 || header[0] != (byte)'{') throw SafetensorsFile.Bad(path, "the header does not start with '{'");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header.AsMemory().TrimEnd((byte)' '));
        }
        catch (JsonException e)
        {
            throw SafetensorsFile.Bad(path, $"the header is not valid JSON ({e.Message})");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw SafetensorsFile.Bad(path, "the header is not a JSON object");
            metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var entries = new List<SafetensorsEntry>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (!names.Add(property.Name)) throw SafetensorsFile.Bad(path, $"the header names '{property.Name}' twice");
                if (property.Name == MetadataKey) ReadMetadata(path, property.Value, metadata);
                else entries.Add(ReadEntry(path, property, dataLength));
            }
            entries.Sort((a, b) => a.Begin.CompareTo(b.Begin));
            long expected = 0;
            foreach (SafetensorsEntry entry in entries)
            {
                if (entry.Begin != expected)
                    throw SafetensorsFile.Bad(path, $"tensor '{entry.Name}' starts at byte {entry.Begin} of the data where {expected} was expected (a hole or an overlap)");
                expected = entry.End;
            }
            if (expected != dataLength)
                throw SafetensorsFile.Bad(path, $"the tensors cover {expected} bytes of data but the file holds {dataLength}");
            return entries;
        }
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object) throw SafetensorsFile.Bad(path, "__metadata__ is not an object");
        foreach (JsonProperty item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String) throw SafetensorsFile.Bad(path, $"metadata '{item.Name}' is not a string");
            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    private static SafetensorsEntry ReadEntry(string path, JsonProperty property, long dataLength)
    {
        string name = property.Name;
        JsonElement value = property.Value;
        if (value.ValueKind != JsonValueKind.Object) throw SafetensorsFile.Bad(path, $"tensor '{name}' is not an object");
        if (!value.TryGetProperty("dtype", out JsonElement dtype) || dtype.ValueKind != JsonValueKind.String)
            throw SafetensorsFile.Bad(path, $"tensor '{name}' has no dtype");
        if (dtype.GetString() != "F32")
            throw SafetensorsFile.Bad(path, $"tensor '{name}' has dtype {dtype.GetString()}; only F32 is supported");
        if (!value.TryGetProperty("shape", out JsonElement shapeValue) || shapeValue.ValueKind != JsonValueKind.Array)
            throw SafetensorsFile.Bad(path, $"tensor '{name}' has no shape");
        int rank = shapeValue.GetArrayLength();
        if (rank > Shape.MaxRank) throw SafetensorsFile.Bad(path, $"tensor '{name}' has {rank} dimensions; at most {Shape.MaxRank} are supported");
        Span<int> sizes = stackalloc int[rank];
        long count = 1;
        int i = 0;
        foreach (JsonElement size in shapeValue.EnumerateArray())
        {
            if (size.ValueKind != JsonValueKind.Number || !size.TryGetInt32(out int s) || s < 0)
                throw SafetensorsFile.Bad(path, $"tensor '{name}' has a size that is not a non-negative 32-bit integer");
            count *= s;
            if (count > Array.MaxLength) throw SafetensorsFile.Bad(path, $"tensor '{name}' declares more than {Array.MaxLength} elements");
            sizes[i++] = s;
        }
        if (!value.TryGetProperty("data_offsets", out JsonElement offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2
            || !offsets[0].TryGetInt64(out long begin) || !offsets[1].TryGetInt64(out long end))
            throw SafetensorsFile.Bad(path, $"tensor '{name}' has no [begin, end] data_offsets");
        if (begin < 0 || end < begin || end > dataLength)
            throw SafetensorsFile.Bad(path, $"tensor '{name}' claims bytes [{begin}, {end}) of {dataLength} bytes of data");
        if (end - begin != count * sizeof(float))
            throw SafetensorsFile.Bad(path, $"tensor '{name}' has {count} F32 elements but {end - begin} bytes");
        return new SafetensorsEntry(name, new Shape(sizes), begin, end);
    }
}
