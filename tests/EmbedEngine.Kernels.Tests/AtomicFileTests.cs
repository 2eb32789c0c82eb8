using EmbedEngine.Kernels.IO;

namespace EmbedEngine.Kernels.Tests;

public sealed class AtomicFileTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("embed-atomic-");

    public void Dispose() => _folder.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_folder.FullName, name);

    private string[] Entries() => [.. _folder.GetFileSystemInfos().Select(e => e.Name).Order(StringComparer.Ordinal)];

    [Fact]
    public void Writes_the_file_and_leaves_no_temporary()
    {
        string path = PathOf("out.bin");
        AtomicFile.Write(path, stream => stream.Write("new"u8));
        Assert.Equal("new"u8.ToArray(), File.ReadAllBytes(path));
        Assert.Equal(["out.bin"], Entries());
    }

    [Fact]
    public void Replaces_an_existing_file()
    {
        string path = PathOf("out.bin");
        File.WriteAllText(path, "old contents, longer than the new ones");
        AtomicFile.Write(path, stream => stream.Write("new"u8));
        Assert.Equal("new", File.ReadAllText(path));
    }

    [Fact]
    public void A_failing_write_keeps_the_old_file_and_deletes_the_temporary()
    {
        string path = PathOf("out.bin");
        File.WriteAllText(path, "old");
        var error = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("partial"u8);
            throw new InvalidOperationException("disk on fire");
        }));
        Assert.Equal("disk on fire", error.Message);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["out.bin"], Entries());
    }
}
