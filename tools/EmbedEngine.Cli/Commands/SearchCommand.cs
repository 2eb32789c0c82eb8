using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EmbedEngine.Kernels;
using EmbedEngine.Kernels.IO;
using EmbedEngine.Models.Sentence;
using EmbedEngine.Vectors;

namespace EmbedEngine.Cli.Commands;

/// <summary>
/// <c>embed search</c>: the lines of a collection closest in cosine to a query sentence, with any sentence encoder.
/// With <c>--cache</c> the encoded collection is kept on disk (EmbedEngine's memory-mapped .eev, keys the line
/// numbers) beside a note of the collection's hash and the encoder, and reused while both are unchanged.
/// </summary>
internal static class SearchCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var encoder = new SentenceEncoderArguments();
        var index = new Option<FileInfo>("--index") { Description = "The collection: sentences (UTF-8), one a line.", Required = true };
        var query = new Option<string>("--query", "-q") { Description = "The sentence to search for.", Required = true };
        var count = new Option<int>("-k") { Description = "How many lines to return.", DefaultValueFactory = _ => 10 };
        var cache = new Option<FileInfo?>("--cache") { Description = "Keep the encoded collection in this .eev file and reuse it while the collection and the encoder are unchanged." };
        var command = new Command("search", "Search a collection of sentences by the cosine of their vectors with a query's.") { index, query, count, cache };
        encoder.AddTo(command);
        command.SetAction(parsed =>
        {
            int k = parsed.GetValue(count);
            if (k < 1) throw new ArgumentException($"-k must be at least 1; got {k}.");
            string indexPath = parsed.GetValue(index)!.FullName;
            string[] sentences = SentenceLines.Read(indexPath);
            (ISentenceEncoder sentenceEncoder, IDisposable owner) = encoder.Open(parsed);
            using (owner)
            {
                // The collection's identity is the lines as read, so the file is read once.
                string signature = $"{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', sentences))))}|{encoder.Describe(parsed)}";
                using KeyedVectors collection = Collection(sentences, sentenceEncoder, parsed.GetValue(cache)?.FullName, signature, error);
                var vector = new float[sentenceEncoder.Dimension];
                sentenceEncoder.Encode(parsed.GetValue(query)!, vector);
                int rank = 1;
                foreach ((string line, float cosine) in collection.Nearest(vector, k))
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rank++}\t{cosine:F4}\t{line}\t{sentences[int.Parse(line, CultureInfo.InvariantCulture) - 1]}"));
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The encoded collection: from the cache when its note matches <paramref name="signature"/>, else encoded (and cached).</summary>
    private static KeyedVectors Collection(string[] sentences, ISentenceEncoder encoder, string? cache, string signature, TextWriter error)
    {
        string? note = cache == null ? null : cache + ".json";
        if (cache != null && File.Exists(cache) && File.Exists(note) && File.ReadAllText(note!) == signature)
        {
            KeyedVectors cached = VectorFile.Load(cache, VectorFormat.Native);
            if (cached.Count == sentences.Length && cached.Dimension == encoder.Dimension)
            {
                error.WriteLine($"using the encoded collection in {cache}");
                return cached;
            }
            cached.Dispose();
        }
        NativeMatrix matrix = NativeMatrix.Allocate(sentences.Length, encoder.Dimension);
        for (int i = 0; i < sentences.Length; i++) encoder.Encode(sentences[i], matrix.Row(i));
        KeyedVectors collection = SentenceLines.KeyedByLine(matrix);
        if (cache != null)
        {
            VectorFile.Save(collection, cache, VectorFormat.Native);
            AtomicFile.Write(note!, stream => stream.Write(Encoding.UTF8.GetBytes(signature)));
            error.WriteLine($"encoded {sentences.Length} sentences into {cache}");
        }
        return collection;
    }
}
