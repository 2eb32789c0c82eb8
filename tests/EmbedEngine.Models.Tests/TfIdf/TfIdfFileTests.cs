using System.Buffers.Binary;
using EmbedEngine.Kernels;
using EmbedEngine.Kernels.IO;
using EmbedEngine.Models.Count;
using EmbedEngine.Text;

namespace EmbedEngine.Models.Tests.TfIdf;

public sealed class TfIdfFileTests : IDisposable
{
    private static readonly string[] Corpus = ["the cat sat", "the dog sat down", "a cat and a dog", "birds sing"];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"tfidf-{Guid.NewGuid():N}");

    public TfIdfFileTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string File(string name) => Path.Combine(_folder, name);

    public static TheoryData<int> HashFeatureCounts => [0, 64];

    [Theory]
    [MemberData(nameof(HashFeatureCounts))]
    public void A_saved_model_loads_back_the_same(int hashFeatures)
    {
        var options = new TfIdfOptions { MaxN = 2, BinaryTf = true, SublinearTf = true, Idf = IdfWeighting.Plain, HashFeatures = hashFeatures };
        TfIdfModel model = TfIdfModel.Fit(TfIdfDocuments.Texts(Corpus), options);
        string path = File("model.tfidf");

        model.Save(path);
        TfIdfModel loaded = TfIdfModel.Load(path);

        Assert.Equal(options, loaded.Options);
        Assert.Equal(model.Documents, loaded.Documents);
        Assert.Equal(model.Vocabulary, loaded.Vocabulary);
        Assert.Equal(model.DocumentFrequencies.ToArray(), loaded.DocumentFrequencies.ToArray());
        Assert.Equal(model.Idf.ToArray(), loaded.Idf.ToArray());
        Assert.Equal(model.Fingerprint, loaded.Fingerprint);
        CsrMatrix expected = model.Transform(["cat", "sat", "down"]);
        CsrMatrix actual = loaded.Transform(["cat", "sat", "down"]);
        Assert.Equal(expected.ColumnIndices.ToArray(), actual.ColumnIndices.ToArray());
        Assert.Equal(expected.Values.ToArray(), actual.Values.ToArray());
    }

    [Fact]
    public void A_truncated_model_is_refused()
    {
        string path = SavedModel();
        byte[] bytes = System.IO.File.ReadAllBytes(path);
        System.IO.File.WriteAllBytes(path, bytes[..^9]);

        var error = Assert.Throws<CorpusException>(() => TfIdfModel.Load(path));
        Assert.Contains("checksum", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void A_flipped_byte_is_refused()
    {
        string path = SavedModel();
        byte[] bytes = System.IO.File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x20;
        System.IO.File.WriteAllBytes(path, bytes);

        Assert.Contains("checksum", Assert.Throws<CorpusException>(() => TfIdfModel.Load(path)).Message);
    }

    [Fact]
    public void Another_file_is_not_taken_for_a_model()
    {
        string path = File("other.txt");
        System.IO.File.WriteAllText(path, "the cat sat on the mat");

        Assert.Contains("not a TF-IDF model", Assert.Throws<CorpusException>(() => TfIdfModel.Load(path)).Message);
    }

    [Fact]
    public void A_forged_document_frequency_with_a_valid_checksum_is_refused()
    {
        string path = SavedModel();
        byte[] bytes = System.IO.File.ReadAllBytes(path);
        // The last document frequency sits just before the checksum; claim more documents than were fitted.
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(bytes.Length - 12), 99);
        Reseal(path, bytes);

        Assert.Contains("document frequency 99", Assert.Throws<CorpusException>(() => TfIdfModel.Load(path)).Message);
    }

    [Fact]
    public void A_forged_option_with_a_valid_checksum_is_refused()
    {
        string path = SavedModel();
        byte[] bytes = System.IO.File.ReadAllBytes(path);
        // The analyzer is the first field after the 8-byte magic.
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), 7);
        Reseal(path, bytes);

        Assert.Contains("options are invalid", Assert.Throws<CorpusException>(() => TfIdfModel.Load(path)).Message);
    }

    [Fact]
    public void An_index_loads_back_for_its_model_only()
    {
        TfIdfFit fit = TfIdfFitter.Fit(TfIdfDocuments.Texts(Corpus), new TfIdfOptions(), "test");
        TfIdfModel other = TfIdfModel.Fit(TfIdfDocuments.Texts(Corpus[..3]), new TfIdfOptions());
        string path = File("docs.index");

        TfIdfIndexFile.Save(path, fit.Model, new IndexedDocuments(fit.Documents));
        CsrMatrix loaded = TfIdfIndexFile.Load(path, fit.Model).Vectors;

        Assert.Equal(fit.Documents.RowStarts.ToArray(), loaded.RowStarts.ToArray());
        Assert.Equal(fit.Documents.ColumnIndices.ToArray(), loaded.ColumnIndices.ToArray());
        Assert.Equal(fit.Documents.Values.ToArray(), loaded.Values.ToArray());
        Assert.Contains("another model", Assert.Throws<CorpusException>(() => TfIdfIndexFile.Load(path, other)).Message);
        System.IO.File.WriteAllBytes(path, System.IO.File.ReadAllBytes(path)[..^3]);
        Assert.Contains("truncated", Assert.Throws<CorpusException>(() => TfIdfIndexFile.Load(path, fit.Model)).Message);
    }

    [Fact]
    public void An_index_with_a_forged_column_and_a_valid_checksum_is_refused()
    {
        // Row 0 of "the cat sat" holds cat, sat, the: its second column is made to repeat its first.
        (string path, CorpusException error) = LoadForgedIndex(bytes => BinaryPrimitives.WriteInt32LittleEndian(
            bytes.AsSpan(ColumnsOffset + sizeof(int)), BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(ColumnsOffset))));

        Assert.Contains($"The TF-IDF index '{path}' is unusable: row 0's columns are not strictly ascending", error.Message);
    }

    [Fact]
    public void An_index_with_a_forged_row_start_and_a_valid_checksum_is_refused()
    {
        (string path, CorpusException error) = LoadForgedIndex(bytes => BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(IndexHeaderBytes), 1));

        Assert.Contains($"The TF-IDF index '{path}' is unusable: row 0 starts at 1, not 0", error.Message);
    }

    [Fact]
    public void An_index_with_a_forged_infinite_weight_is_refused()
    {
        // The values follow the columns, one per nonzero (the header's int64 at byte 20).
        (_, CorpusException error) = LoadForgedIndex(bytes => BinaryPrimitives.WriteSingleLittleEndian(
            bytes.AsSpan(ColumnsOffset + ((int)BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(20)) * sizeof(int))), float.PositiveInfinity));

        Assert.Contains("it holds the weight Infinity, not a finite number", error.Message);
    }

    [Fact]
    public void A_version_1_index_is_refused_with_the_way_to_rebuild_it()
    {
        (_, CorpusException error) = LoadForgedIndex(bytes => "EETFIDX1"u8.CopyTo(bytes));

        Assert.Contains("it is a version 1 index, of float64 weights; write it again with 'embed tfidf fit'", error.Message);
    }

    [Fact]
    public void An_index_keeps_its_document_names()
    {
        TfIdfFit fit = TfIdfFitter.Fit(TfIdfDocuments.Texts(Corpus), new TfIdfOptions(), "test");
        string path = File("named.index");
        string[] names = ["a.txt", "b.txt", "ü/c.txt", "d.txt.gz"];

        TfIdfIndexFile.Save(path, fit.Model, new IndexedDocuments(fit.Documents, names));
        IndexedDocuments loaded = TfIdfIndexFile.Load(path, fit.Model);

        Assert.Equal(names, loaded.Names);
        Assert.Equal("ü/c.txt", loaded.Describe(2));
        Assert.Equal("2", new IndexedDocuments(fit.Documents).Describe(2));
    }

    [Fact]
    public void An_index_naming_more_documents_than_it_holds_is_refused()
    {
        TfIdfFit fit = TfIdfFitter.Fit(TfIdfDocuments.Texts(Corpus), new TfIdfOptions(), "test");
        string path = File("named.index");
        TfIdfIndexFile.Save(path, fit.Model, new IndexedDocuments(fit.Documents, ["a", "b", "c", "d"]));
        byte[] bytes = System.IO.File.ReadAllBytes(path);
        // The names section ends the file: its count, then four 1-byte names of 5 bytes each, then the checksum.
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(bytes.Length - 4 - (4 * 5) - 4), 5);
        Reseal(path, bytes);

        Assert.Contains("names 5 documents of 4", Assert.Throws<CorpusException>(() => TfIdfIndexFile.Load(path, fit.Model)).Message);
    }

    [Fact]
    public void Svmlight_lines_hold_one_based_indices_and_round_trip_values()
    {
        TfIdfFit fit = TfIdfFitter.Fit(TfIdfDocuments.Texts(["bb aa", "cc"]), new TfIdfOptions { Idf = IdfWeighting.None }, "test");
        var text = new StringWriter { NewLine = "\n" };

        SvmLightWriter.Write(text, fit.Documents);

        // Weights are float32, so 1/√2 is written as the shortest decimal that reads back to that float.
        Assert.Equal("0 1:0.70710677 2:0.70710677\n0 3:1\n", text.ToString());
    }

    [Fact]
    public void Documents_read_from_plain_gzip_lines_and_files_alike()
    {
        string plain = File("docs.txt");
        System.IO.File.WriteAllText(plain, "the cat\n\n  sat down \nlast line");
        string gzip = File("docs.txt.gz");
        using (var output = System.IO.File.Create(gzip))
        using (var compressor = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest))
            compressor.Write(System.IO.File.ReadAllBytes(plain));
        Directory.CreateDirectory(File("folder"));
        System.IO.File.WriteAllText(File("folder/b.txt"), "second file\nstill second");
        System.IO.File.WriteAllText(File("folder/a.txt"), "first");

        string[][] expected = [["the", "cat"], ["sat", "down"], ["last", "line"]];
        Assert.Equal(expected, TfIdfDocuments.Lines(plain).Select(d => d.ToArray()));
        Assert.Equal(expected, TfIdfDocuments.Lines(gzip).Select(d => d.ToArray()));
        IReadOnlyList<string> files = TfIdfDocuments.ExpandFiles([File("folder")]);
        Assert.Equal([["first"], ["second", "file", "still", "second"]], TfIdfDocuments.Files(files).Select(d => d.ToArray()));
    }

    /// <summary>The index header's size; the row starts follow it.</summary>
    private const int IndexHeaderBytes = 36;

    /// <summary>Where the columns of the index of <see cref="Corpus"/> start: after the header and its 4 + 1 row starts.</summary>
    private const int ColumnsOffset = IndexHeaderBytes + (5 * sizeof(long));

    /// <summary>
    /// Saves the index of <see cref="Corpus"/>, lets <paramref name="forge"/> change its bytes, reseals them as a
    /// forger would, and returns the file and the error loading it raises.
    /// </summary>
    private (string Path, CorpusException Error) LoadForgedIndex(Action<byte[]> forge)
    {
        string path = File("forged.index");
        TfIdfFit fit = TfIdfFitter.Fit(TfIdfDocuments.Texts(Corpus), new TfIdfOptions(), "test");
        TfIdfIndexFile.Save(path, fit.Model, new IndexedDocuments(fit.Documents));
        byte[] bytes = System.IO.File.ReadAllBytes(path);
        forge(bytes);
        Reseal(path, bytes);
        return (path, Assert.Throws<CorpusException>(() => TfIdfIndexFile.Load(path, fit.Model)));
    }

    private string SavedModel()
    {
        string path = File("model.tfidf");
        TfIdfModel.Fit(TfIdfDocuments.Texts(Corpus), new TfIdfOptions()).Save(path);
        return path;
    }

    /// <summary>Writes <paramref name="bytes"/> with a checksum that matches them again, as a forger would.</summary>
    private static void Reseal(string path, byte[] bytes)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), Crc32C.Compute(bytes.AsSpan(0, bytes.Length - 4)));
        System.IO.File.WriteAllBytes(path, bytes);
    }
}
