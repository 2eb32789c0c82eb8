namespace EmbedEngine.Models.Tests.FastText;

/// <summary>A temporary folder deleted after the test.</summary>
internal sealed class ScratchFolder : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"embed-fasttext-{Guid.NewGuid():N}");

    public ScratchFolder() => Directory.CreateDirectory(_path);

    public string File(string name) => Path.Combine(_path, name);

    public void Dispose() => Directory.Delete(_path, recursive: true);
}
