namespace EmbedEngine.Vectors.Tests;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Writes_the_file_and_leaves_no_temporary()
    {
        string path = _folder.File("out.bin");
        AtomicFile.Write(path, stream => stream.Write("new"u8));
        Assert.Equal("new"u8.ToArray(), File.ReadAllBytes(path));
        Assert.Equal(["out.bin"], _folder.Entries());
    }

    [Fact]
    public void Replaces_an_existing_file()
    {
        string path = _folder.File("out.bin");
        File.WriteAllText(path, "old contents, longer than the new ones");
        AtomicFile.Write(path, stream => stream.Write("new"u8));
        Assert.Equal("new", File.ReadAllText(path));
    }

    [Fact]
    public void A_failing_write_keeps_the_old_file_and_deletes_the_temporary()
    {
        string path = _folder.File("out.bin");
        File.WriteAllText(path, "old");
        var error = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("partial"u8);
            throw new InvalidOperationException("disk on fire");
        }));
        Assert.Equal("disk on fire", error.Message);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["out.bin"], _folder.Entries());
    }

    [Fact]
    public void Saving_vectors_over_an_existing_file_is_atomic_too()
    {
        string path = _folder.File("v.txt");
        File.WriteAllText(path, "old");
        using var vectors = TestVectors.Create(("a", [1f]));
        VectorFile.Save(vectors, path, VectorFormat.Word2VecText);
        Assert.Equal("1 1\na 1.000000 \n", File.ReadAllText(path));
        Assert.Equal(["v.txt"], _folder.Entries());
    }
}
