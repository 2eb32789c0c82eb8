using System.IO.Compression;
using System.Text;

namespace EmbedEngine.Text.Tests;

/// <summary>A corpus file in the temp folder that is deleted on dispose.</summary>
internal sealed class TempCorpus : IDisposable
{
    private TempCorpus(string path) => Path = path;

    public string Path { get; }

    public static TempCorpus FromText(string text, string extension = ".txt") =>
        FromBytes(Encoding.UTF8.GetBytes(text), extension);

    public static TempCorpus FromBytes(byte[] bytes, string extension = ".txt")
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(),
            $"embedengine-text-{Guid.NewGuid():N}{extension}");
        File.WriteAllBytes(path, bytes);
        return new TempCorpus(path);
    }

    /// <summary>Writes <paramref name="bytes"/> gzip-compressed, under a name that does not say so.</summary>
    public static TempCorpus Gzipped(byte[] bytes, string extension = ".txt") => FromBytes(Gzip(bytes), extension);

    public static byte[] Gzip(byte[] bytes)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest)) gzip.Write(bytes);
        return compressed.ToArray();
    }

    public void Dispose() => File.Delete(Path);
}
