namespace EmbedEngine.Tensors.IO;

/// <summary>What a safetensors file held: its tensors (owned by this object until taken) and its metadata.</summary>
public sealed class SafetensorsContents(IReadOnlyList<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string> metadata) : IDisposable
{
    /// <summary>The tensors in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Tensors { get; } = tensors;

    /// <summary>The header's string metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; } = metadata;

    /// <summary>The tensor called <paramref name="name"/>.</summary>
    public Tensor this[string name]
    {
        get
        {
            foreach (var (key, tensor) in Tensors)
                if (key == name) return tensor;
            throw new KeyNotFoundException($"No tensor is named '{name}'.");
        }
    }

    /// <summary>Frees every tensor.</summary>
    public void Dispose()
    {
        foreach (var (_, tensor) in Tensors) tensor.Dispose();
    }
}
