using System.Text;
using EmbedEngine.Kernels;
using EmbedEngine.Kernels.IO;
using EmbedEngine.Text;

namespace EmbedEngine.Models.FastText.Supervised;

/// <summary>
/// EmbedEngine's own classifier file: a header (magic, version, shape, options), the words and labels with
/// their counts, the input and output matrices, and a CRC-32C of all of it, written atomically. It stands in
/// for fastText's <c>.bin</c> until that format is available; callers see only <see cref="Save"/> and <see cref="Load"/>.
/// </summary>
public static class ClassifierModelFile
{
    private const int Version = 1;

    /// <summary>Longest word or label accepted when reading, in UTF-8 bytes (a guard against forged lengths).</summary>
    private const int MaxTokenBytes = 1 << 16;

    /// <summary>Largest dimension accepted when reading, as in training.</summary>
    private const int MaxDimension = 10_000;

    private static ReadOnlySpan<byte> Magic => "EECLASS\0"u8;

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/>, replacing it all at once.</summary>
    public static void Save(ClassifierModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        AtomicFile.Write(path, stream =>
        {
            var writer = new ChecksummedWriter(stream);
            ClassifierDictionary dictionary = model.Dictionary;
            writer.Write(Magic);
            writer.WriteInt32(Version);
            writer.WriteInt32(model.Dimension);
            writer.WriteInt32((int)model.Loss);
            writer.WriteInt32(dictionary.WordNgrams);
            writer.WriteInt32(dictionary.Buckets);
            writer.WriteString(Encoding.UTF8.GetBytes(dictionary.LabelPrefix));
            WriteVocabulary(writer, dictionary.Words);
            WriteVocabulary(writer, dictionary.Labels);
            writer.WriteMatrix(model.Input);
            writer.WriteMatrix(model.Output.Weights);
            writer.WriteInt32((int)writer.Checksum);
        });
    }

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a classifier model, is truncated, or fails its checksum.</exception>
    public static ClassifierModel Load(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 20);
        var reader = new ChecksummedReader(stream, path);
        Span<byte> magic = stackalloc byte[Magic.Length];
        if (stream.Length < Magic.Length) throw Invalid(path, 0, "the file is too short to be a classifier model");
        reader.Read(magic);
        if (!magic.SequenceEqual(Magic)) throw Invalid(path, 0, "this is not an EmbedEngine classifier model (wrong magic bytes)");
        int version = reader.ReadInt32();
        if (version != Version) throw Invalid(path, 8, $"classifier model version {version}, expected {Version}");
        int dimension = reader.ReadInt32();
        int loss = reader.ReadInt32();
        int wordNgrams = reader.ReadInt32();
        int buckets = reader.ReadInt32();
        if (dimension is <= 0 or > MaxDimension || (FastTextLoss)loss is not (FastTextLoss.Softmax or FastTextLoss.HierarchicalSoftmax or FastTextLoss.OneVsAll) || wordNgrams <= 0 || buckets < 0)
            throw Invalid(path, 12, $"absurd header: dim {dimension}, loss {loss}, wordNgrams {wordNgrams}, bucket {buckets}");
        string labelPrefix = reader.ReadString(MaxTokenBytes);
        Vocabulary words = ReadVocabulary(reader, stream, path);
        Vocabulary labels = ReadVocabulary(reader, stream, path);
        var dictionary = new ClassifierDictionary(words, labels, wordNgrams, buckets, labelPrefix);
        int outputRows = ClassifierOutput.RowsFor((FastTextLoss)loss, labels.Count);
        long matrixBytes = ((long)dictionary.InputRows + outputRows) * dimension * sizeof(float);
        long expected = reader.Position + matrixBytes + sizeof(uint);
        if (stream.Length != expected)
            throw Invalid(path, reader.Position, $"the file has {stream.Length} bytes, but its header calls for {expected}");
        NativeMatrix input = NativeMatrix.Allocate(dictionary.InputRows, dimension, padRows: true);
        NativeMatrix output = NativeMatrix.Allocate(outputRows, dimension, padRows: true);
        var model = new ClassifierModel(dictionary, (FastTextLoss)loss, input, output);
        try
        {
            reader.ReadMatrix(input);
            reader.ReadMatrix(output);
            uint computed = reader.Checksum;
            uint stored = (uint)reader.ReadInt32();
            if (stored != computed)
                throw Invalid(path, reader.Position - sizeof(uint), $"checksum mismatch (stored {stored:x8}, computed {computed:x8}); the file is corrupted");
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static void WriteVocabulary(ChecksummedWriter writer, Vocabulary vocabulary)
    {
        writer.WriteInt32(vocabulary.Count);
        for (int id = 0; id < vocabulary.Count; id++)
        {
            writer.WriteString(vocabulary.Utf8Word(id));
            writer.WriteInt64(vocabulary.Frequency(id));
        }
    }

    private static Vocabulary ReadVocabulary(ChecksummedReader reader, Stream stream, string path)
    {
        long at = reader.Position;
        int count = reader.ReadInt32();
        // Every entry takes at least a length and a count, so a forged count cannot make us allocate beyond the file.
        const int MinimumEntryBytes = sizeof(int) + sizeof(long);
        if (count <= 0 || count > (stream.Length - reader.Position) / MinimumEntryBytes)
            throw Invalid(path, at, $"{count} vocabulary entries cannot fit in the file");
        var entries = new (string Word, long Count)[count];
        for (int id = 0; id < count; id++) entries[id] = (reader.ReadString(MaxTokenBytes), reader.ReadInt64());
        try
        {
            // minCount 0 keeps every entry; the ids come back in the order they were saved (descending count).
            return Vocabulary.FromCounts(entries, minCount: 0);
        }
        catch (ArgumentException e)
        {
            throw Invalid(path, at, $"bad vocabulary: {e.Message}");
        }
    }

    private static InvalidDataException Invalid(string path, long offset, string problem) =>
        new($"'{path}' at byte {offset}: {problem}");
}
