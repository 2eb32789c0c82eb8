namespace EmbedEngine.Evaluation.Tests;

/// <summary>A fresh folder per test class for the small data files the tests write, deleted afterwards.</summary>
public sealed class TempFiles : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "embedengine-eval-" + Guid.NewGuid().ToString("N"));

    public TempFiles() => Directory.CreateDirectory(_folder);

    public string Write(string name, string contents)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, contents);
        return path;
    }

    public string PathOf(string name) => Path.Combine(_folder, name);

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
