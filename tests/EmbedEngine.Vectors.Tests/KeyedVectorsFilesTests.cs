namespace EmbedEngine.Vectors.Tests;

public sealed class KeyedVectorsFilesTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("vectors.bin", VectorFormat.Word2VecBinary)]
    [InlineData("vectors.eev", VectorFormat.Native)]
    [InlineData("VECTORS.BIN", VectorFormat.Word2VecBinary)]
    public void Save_writes_the_layout_the_extension_names_and_Load_detects_it(string name, VectorFormat expected)
    {
        using var original = TestVectors.Random(count: 20, dimension: 7);
        string path = _folder.File(name);
        original.Save(path);

        using var readAsNamed = VectorFile.Load(path, expected);
        using var detected = KeyedVectors.Load(path);
        foreach (KeyedVectors loaded in new[] { readAsNamed, detected })
        {
            Assert.Equal(original.Words, loaded.Words);
            Assert.Equal(TestVectors.Rows(original), TestVectors.Rows(loaded)); // both layouts store float32 exactly
        }
    }

    [Fact]
    public void Save_with_a_text_extension_writes_word2vec_text_that_Load_reads_back()
    {
        using var original = TestVectors.Create(("war", [0.5f, -1.25f]), ("peace", [2f, 0.125f]));
        string path = _folder.File("vectors.txt");
        original.Save(path);

        Assert.Equal("2 2\nwar 0.500000 -1.250000 \npeace 2.000000 0.125000 \n", File.ReadAllText(path));
        using var loaded = KeyedVectors.Load(path);
        Assert.Equal(TestVectors.Rows(original), TestVectors.Rows(loaded));
    }

    [Fact]
    public void Save_refuses_an_unknown_extension_before_creating_a_file()
    {
        using var vectors = TestVectors.Create(("a", [1f]));
        var error = Assert.Throws<ArgumentException>(() => vectors.Save(_folder.File("vectors.json")));
        Assert.Contains("'.json'", error.Message);
        Assert.Empty(_folder.Entries());
    }

    [Fact]
    public void Load_of_a_missing_file_names_it()
    {
        string path = _folder.File("missing.bin");
        var error = Assert.Throws<VectorFormatException>(() => KeyedVectors.Load(path));
        Assert.Contains("missing.bin", error.Message);
    }
}
