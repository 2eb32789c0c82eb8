using System.Buffers.Binary;
using System.Text;
using EmbedEngine.Kernels.IO;
using EmbedEngine.Text;

namespace EmbedEngine.Models.Count;

/// <summary>
/// The binary file of a <see cref="TfIdfModel"/>, all little-endian:
/// <code>
/// "EETFIDF1"
/// int32 analyzer (0 word, 1 char_wb, 2 char), int32 lowercase (0/1), int32 min n, int32 max n,
/// float64 min-df, int32 min-df is a fraction (0/1), float64 max-df, int32 max-df is a fraction (0/1),
/// int32 max-features, int32 hash features (0: vocabulary), int32 binary tf (0/1), int32 sublinear tf (0/1),
/// int32 idf (0 smooth, 1 plain, 2 none), int32 l2 norm (0/1)
/// int64 documents, int32 features
/// vocabulary only: per feature, int32 byte length and the term's UTF-8 bytes, in code point order
/// int64 document frequency [features]
/// uint32 CRC-32C of every byte before it
/// </code>
/// Loading checks the checksum first and then every field, so a truncated, damaged or forged file is refused
/// with a message instead of yielding a model that weighs wrongly.
/// </summary>
internal static class TfIdfModelFile
{
    private const int ChecksumBytes = 4;

    /// <summary>A term longer than this many bytes is taken as a sign of a forged length, not a real term.</summary>
    private const int MaxTermBytes = 1 << 20;

    private static ReadOnlySpan<byte> Magic => "EETFIDF1"u8;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static void Save(TfIdfModel model, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] content = Serialize(model);
        AtomicFile.Write(path, stream =>
        {
            stream.Write(content);
            Span<byte> trailer = stackalloc byte[ChecksumBytes];
            BinaryPrimitives.WriteUInt32LittleEndian(trailer, Crc32C.Compute(content));
            stream.Write(trailer);
        });
    }

    public static uint Fingerprint(TfIdfModel model) => Crc32C.Compute(Serialize(model));

    public static TfIdfModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = TfIdfFileBytes.Read(path, "model");
        if (bytes.Length < Magic.Length + ChecksumBytes || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw Corrupt(path, "it does not start with \"EETFIDF1\"; it is not a TF-IDF model");
        ReadOnlySpan<byte> content = bytes.AsSpan(0, bytes.Length - ChecksumBytes);
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - ChecksumBytes));
        uint actual = Crc32C.Compute(content);
        if (stored != actual)
            throw Corrupt(path, $"its checksum is {stored:x8} but its contents hash to {actual:x8} (truncated or damaged)");
        try
        {
            return Parse(bytes, content.Length, path);
        }
        catch (EndOfStreamException e)
        {
            throw new CorpusException($"The TF-IDF model '{path}' is unusable: it ends before its fields do.", e);
        }
    }

    private static byte[] Serialize(TfIdfModel model)
    {
        TfIdfOptions options = model.Options;
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write((int)options.Analyzer);
            writer.Write(options.Lowercase ? 1 : 0);
            writer.Write(options.MinN);
            writer.Write(options.MaxN);
            writer.Write(options.MinDf.Value);
            writer.Write(options.MinDf.IsFraction ? 1 : 0);
            writer.Write(options.MaxDf.Value);
            writer.Write(options.MaxDf.IsFraction ? 1 : 0);
            writer.Write(options.MaxFeatures);
            writer.Write(options.HashFeatures);
            writer.Write(options.BinaryTf ? 1 : 0);
            writer.Write(options.SublinearTf ? 1 : 0);
            writer.Write((int)options.Idf);
            writer.Write(options.L2Normalize ? 1 : 0);
            writer.Write(model.Documents);
            writer.Write(model.Features);
            foreach (string term in model.Vocabulary ?? [])
            {
                byte[] utf8 = Encoding.UTF8.GetBytes(term);
                writer.Write(utf8.Length);
                writer.Write(utf8);
            }
            foreach (long frequency in model.DocumentFrequencies) writer.Write(frequency);
        }
        return buffer.ToArray();
    }

    private static TfIdfModel Parse(byte[] bytes, int contentLength, string path)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes, 0, contentLength, writable: false));
        reader.ReadBytes(Magic.Length);
        var options = new TfIdfOptions
        {
            Analyzer = (TfIdfAnalyzer)reader.ReadInt32(),
            Lowercase = ReadFlag(reader, path, "lowercase"),
            MinN = reader.ReadInt32(),
            MaxN = reader.ReadInt32(),
            MinDf = new DocumentFrequencyBound(reader.ReadDouble(), ReadFlag(reader, path, "min-df kind")),
            MaxDf = new DocumentFrequencyBound(reader.ReadDouble(), ReadFlag(reader, path, "max-df kind")),
            MaxFeatures = reader.ReadInt32(),
            HashFeatures = reader.ReadInt32(),
            BinaryTf = ReadFlag(reader, path, "binary tf"),
            SublinearTf = ReadFlag(reader, path, "sublinear tf"),
            Idf = (IdfWeighting)reader.ReadInt32(),
            L2Normalize = ReadFlag(reader, path, "l2 norm"),
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CorpusException($"The TF-IDF model '{path}' is unusable: its options are invalid ({e.Message})", e);
        }
        long documents = reader.ReadInt64();
        int features = reader.ReadInt32();
        if (documents < 1) throw Corrupt(path, $"it claims {documents} fitted documents");
        if (options.UsesHashing ? features != options.HashFeatures : features < 1)
            throw Corrupt(path, $"it claims {features} features{(options.UsesHashing ? $" for {options.HashFeatures} hash features" : "")}");

        TermIndex index = options.UsesHashing ? TermIndex.ForHashing(features) : TermIndex.ForVocabulary(ReadTerms(reader, features, path));
        long remaining = reader.BaseStream.Length - reader.BaseStream.Position;
        if (remaining != (long)features * sizeof(long))
            throw Corrupt(path, $"{remaining} bytes follow the vocabulary where {features} document frequencies need {(long)features * sizeof(long)}");
        var documentFrequencies = new long[features];
        long least = options.UsesHashing ? 0 : 1;
        for (int i = 0; i < features; i++)
        {
            long frequency = reader.ReadInt64();
            if (frequency < least || frequency > documents)
                throw Corrupt(path, $"feature {i} has document frequency {frequency}, outside [{least}, {documents}]");
            documentFrequencies[i] = frequency;
        }
        return new TfIdfModel(options, documents, index, documentFrequencies);
    }

    private static string[] ReadTerms(BinaryReader reader, int count, string path)
    {
        // Each term takes at least 5 bytes, so a forged count is refused before a huge array is allocated.
        long remaining = reader.BaseStream.Length - reader.BaseStream.Position;
        if (count > remaining / 5) throw Corrupt(path, $"it claims {count} terms in {remaining} bytes");
        var terms = new string[count];
        for (int i = 0; i < count; i++)
        {
            int length = reader.ReadInt32();
            if (length < 1 || length > MaxTermBytes) throw Corrupt(path, $"term {i} claims {length} bytes");
            byte[] utf8 = reader.ReadBytes(length);
            if (utf8.Length != length) throw new EndOfStreamException();
            try
            {
                terms[i] = StrictUtf8.GetString(utf8);
            }
            catch (DecoderFallbackException e)
            {
                throw new CorpusException($"The TF-IDF model '{path}' is unusable: term {i} is not valid UTF-8.", e);
            }
            if (i > 0 && CodePointOrder.Instance.Compare(terms[i - 1], terms[i]) >= 0)
                throw Corrupt(path, $"its terms are not strictly ascending ('{terms[i - 1]}' then '{terms[i]}')");
        }
        return terms;
    }

    private static bool ReadFlag(BinaryReader reader, string path, string name)
    {
        int value = reader.ReadInt32();
        return value switch
        {
            0 => false,
            1 => true,
            _ => throw Corrupt(path, $"its {name} flag is {value}, not 0 or 1"),
        };
    }

    private static CorpusException Corrupt(string path, string problem) =>
        new($"The TF-IDF model '{path}' is unusable: {problem}.");
}
