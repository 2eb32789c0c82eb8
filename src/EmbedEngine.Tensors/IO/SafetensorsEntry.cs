namespace EmbedEngine.Tensors.IO;

/// <summary>One tensor declared in a safetensors header: its name, shape and byte range in the data.</summary>
internal readonly record struct SafetensorsEntry(string Name, Shape Shape, long Begin, long End);
