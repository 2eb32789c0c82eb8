namespace EmbedEngine.Vectors.Tests;

public sealed class AtomicSaveTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Saving_vectors_over_an_existing_file_is_atomic()
    {
        string path = _folder.File("v.txt");
        File.WriteAllText(path, "old");
        using var vectors = TestVectors.Create(("a", [1f]));
        VectorFile.Save(vectors, path, VectorFormat.Word2VecText);
        Assert.Equal("1 1\na 1.000000 \n", File.ReadAllText(path));
        Assert.Equal(["v.txt"], _folder.Entries());
    }
}
