namespace EmbedEngine.Text.Tests;

public sealed class VocabularyFileTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("embed-vocab-");

    public void Dispose() => _folder.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_folder.FullName, name);

    [Fact]
    public void Round_trips_words_counts_and_ids_in_glove_layout()
    {
        Vocabulary vocabulary = Vocabulary.FromCounts([("the", 9), ("café", 4), ("a", 4), ("z", 1)]);
        string path = PathOf("vocab.txt");

        VocabularyFile.Save(vocabulary, path);
        Vocabulary loaded = VocabularyFile.Load(path);

        Assert.Equal("the 9\na 4\ncafé 4\nz 1\n", File.ReadAllText(path));
        Assert.Equal(vocabulary.Words, loaded.Words);
        for (int id = 0; id < vocabulary.Count; id++) Assert.Equal(vocabulary.Frequency(id), loaded.Frequency(id));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("the 9\nbroken\n", "line 2")]
    [InlineData("the 9\na -4\n", "line 2")]
    [InlineData("a 1\nthe 9\n", "descending count order")]
    public void Bad_files_are_refused_with_the_reason(string text, string expected)
    {
        string path = PathOf("bad.txt");
        File.WriteAllText(path, text);
        var error = Assert.Throws<CorpusException>(() => VocabularyFile.Load(path));
        Assert.Contains(expected, error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void A_missing_file_is_refused()
    {
        var error = Assert.Throws<CorpusException>(() => VocabularyFile.Load(PathOf("absent.txt")));
        Assert.Contains("absent.txt", error.Message);
    }
}
