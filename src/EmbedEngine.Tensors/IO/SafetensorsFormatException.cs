namespace EmbedEngine.Tensors.IO;

/// <summary>A file that does not follow the safetensors format; the message names the file and what is wrong.</summary>
public sealed class SafetensorsFormatException(string message) : Exception(message);
