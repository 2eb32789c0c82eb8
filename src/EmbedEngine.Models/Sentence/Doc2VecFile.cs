using System.Globalization;
using System.Text.Json;
using EmbedEngine.Kernels;
using EmbedEngine.Tensors;
using EmbedEngine.Tensors.IO;
using EmbedEngine.Text;

namespace EmbedEngine.Models.Sentence;

/// <summary>
/// A <see cref="Doc2VecModel"/> on disk: one safetensors file (written atomically) holding "document_vectors",
/// "word_vectors" and "output", with the options and the vocabulary (words and counts, most frequent first) as JSON in
/// its metadata. Loading checks every matrix's shape against them.
/// </summary>
public static class Doc2VecFile
{
    private const string Format = "embedengine-doc2vec";

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/>.</summary>
    public static void Save(Doc2VecModel model, string path)
    {
        Doc2VecOptions o = model.Options;
        var settings = new Dictionary<string, object>
        {
            ["vector_size"] = o.Dimension, ["negative"] = o.Negative, ["epochs"] = o.Epochs, ["min_count"] = o.MinCount, ["sample"] = o.Sample,
            ["alpha"] = o.LearningRate, ["min_alpha"] = o.MinLearningRate, ["dm"] = o.DistributedMemory, ["dbow_words"] = o.TrainWords, ["window"] = o.Window, ["seed"] = o.Seed,
        };
        var metadata = new Dictionary<string, string>
        {
            ["format"] = Format,
            ["options"] = JsonSerializer.Serialize(settings),
            ["words"] = JsonSerializer.Serialize(model.Vocabulary.Words),
            ["counts"] = JsonSerializer.Serialize(model.Vocabulary.Frequencies()),
        };
        using Tensor documents = ToTensor(model.DocumentVectors), words = ToTensor(model.WordVectors), output = ToTensor(model.Output);
        SafetensorsFile.Save(path, [new("document_vectors", documents), new("word_vectors", words), new("output", output)], metadata);
    }

    /// <summary>Whether <paramref name="path"/> is a safetensors file that says it holds a Doc2Vec model (its header alone is read).</summary>
    public static bool Holds(string path)
    {
        try
        {
            return SafetensorsFile.ReadMetadata(path).TryGetValue("format", out string? format) && format == Format;
        }
        catch (Exception e) when (e is SafetensorsFormatException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Reads a model <see cref="Save"/> wrote.</summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="InvalidDataException">It is not such a model, or its parts disagree.</exception>
    public static Doc2VecModel Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} does not exist.", path);
        SafetensorsContents loaded;
        try
        {
            loaded = SafetensorsFile.Load(path);
        }
        catch (SafetensorsFormatException e)
        {
            throw new InvalidDataException($"{e.Message} (expected an EmbedEngine Doc2Vec model)", e);
        }
        using SafetensorsContents contents = loaded;
        if (!contents.Metadata.TryGetValue("format", out string? format) || format != Format)
            throw new InvalidDataException($"{path} is not an EmbedEngine Doc2Vec model: its metadata lacks \"format\": \"{Format}\".");
        try
        {
            using JsonDocument settings = JsonDocument.Parse(Field(contents, "options", path));
            JsonElement s = settings.RootElement;
            var options = new Doc2VecOptions
            {
                Dimension = s.GetProperty("vector_size").GetInt32(), Negative = s.GetProperty("negative").GetInt32(), Epochs = s.GetProperty("epochs").GetInt32(),
                MinCount = s.GetProperty("min_count").GetInt32(), Sample = s.GetProperty("sample").GetDouble(), LearningRate = s.GetProperty("alpha").GetSingle(),
                MinLearningRate = s.GetProperty("min_alpha").GetSingle(), DistributedMemory = s.TryGetProperty("dm", out JsonElement dm) && dm.GetBoolean(), // files from before PV-DM lack it
                TrainWords = s.GetProperty("dbow_words").GetBoolean(), Window = s.GetProperty("window").GetInt32(),
                Seed = s.GetProperty("seed").GetUInt64(),
            };
            options.Validate();
            string[] words = JsonSerializer.Deserialize<string[]>(Field(contents, "words", path)) ?? [];
            long[] counts = JsonSerializer.Deserialize<long[]>(Field(contents, "counts", path)) ?? [];
            if (words.Length != counts.Length) throw new InvalidDataException($"{path}: {words.Length} words but {counts.Length} counts.");
            Vocabulary vocabulary = Vocabulary.FromCounts(words.Zip(counts));
            if (vocabulary.Count != words.Length) throw new InvalidDataException($"{path}: the vocabulary repeats or drops words.");
            NativeMatrix documents = ToMatrix(contents, "document_vectors", -1, options.Dimension, path);
            NativeMatrix wordVectors = ToMatrix(contents, "word_vectors", words.Length, options.Dimension, path);
            NativeMatrix output = ToMatrix(contents, "output", words.Length, options.Dimension, path);
            return new Doc2VecModel(options, vocabulary, documents, wordVectors, output, new NoiseSampler(vocabulary));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or ArgumentException or FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    private static string Field(SafetensorsContents contents, string name, string path) =>
        contents.Metadata.TryGetValue(name, out string? value) ? value : throw new InvalidDataException($"{path}: its metadata lacks \"{name}\".");

    private static Tensor ToTensor(NativeMatrix matrix)
    {
        Tensor tensor = Tensor.Zeros(matrix.Rows, matrix.Columns);
        Span<float> values = tensor.AsSpan();
        for (int r = 0; r < matrix.Rows; r++) matrix.Row(r).CopyTo(values.Slice(r * matrix.Columns, matrix.Columns));
        return tensor;
    }

    /// <summary>The named tensor as a padded matrix of <paramref name="columns"/> columns and <paramref name="rows"/> rows (any number when −1).</summary>
    private static NativeMatrix ToMatrix(SafetensorsContents contents, string name, int rows, int columns, string path)
    {
        Tensor tensor = contents.Tensors.FirstOrDefault(t => t.Key == name).Value ?? throw new InvalidDataException($"{path} lacks the matrix '{name}'.");
        if (tensor.Rank != 2 || tensor.Shape[1] != columns || (rows >= 0 && tensor.Shape[0] != rows))
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path}: '{name}' has shape {tensor.Shape}; expected [{(rows >= 0 ? rows : "documents")}, {columns}]."));
        NativeMatrix matrix = NativeMatrix.Allocate(tensor.Shape[0], columns, padRows: true);
        ReadOnlySpan<float> values = tensor.AsSpan();
        for (int r = 0; r < matrix.Rows; r++) values.Slice(r * columns, columns).CopyTo(matrix.Row(r));
        return matrix;
    }
}
