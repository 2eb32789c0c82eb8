using System.Globalization;
using System.Text;
using EmbedEngine.Kernels.IO;

namespace EmbedEngine.Text;

/// <summary>
/// A vocabulary as text, one "word count" line per word in id order: the layout of GloVe's vocab_count output,
/// so the co-occurrence matrix that goes with it can be read by id.
/// </summary>
public static class VocabularyFile
{
    /// <summary>Writes <paramref name="vocabulary"/> to <paramref name="path"/> atomically.</summary>
    public static void Save(Vocabulary vocabulary, string path)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true);
            for (int id = 0; id < vocabulary.Count; id++)
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"{vocabulary[id]} {vocabulary.Frequency(id)}\n"));
        });
    }

    /// <summary>Reads a vocabulary written by <see cref="Save"/> (or by GloVe's vocab_count); ids follow the line order.</summary>
    /// <exception cref="CorpusException">The file is missing, empty, or a line is not "word count".</exception>
    public static Vocabulary Load(string path)
    {
        var counts = new List<(string Word, long Count)>();
        try
        {
            int lineNumber = 0;
            foreach (string line in File.ReadLines(path, new UTF8Encoding(false, throwOnInvalidBytes: true)))
            {
                lineNumber++;
                string[] fields = line.Split(' ');
                if (fields.Length != 2 || fields[0].Length == 0
                    || !long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out long count))
                    throw new CorpusException($"vocabulary '{path}' line {lineNumber}: expected \"word count\", found \"{Shorten(line)}\"");
                counts.Add((fields[0], count));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            throw new CorpusException($"vocabulary '{path}' cannot be read: {e.Message}", e);
        }
        if (counts.Count == 0) throw new CorpusException($"vocabulary '{path}' is empty");
        Vocabulary vocabulary;
        try
        {
            vocabulary = Vocabulary.FromCounts(counts);
        }
        catch (ArgumentException e)
        {
            throw new CorpusException($"vocabulary '{path}': {e.Message}", e);
        }
        for (int id = 0; id < counts.Count; id++)
            if (vocabulary[id] != counts[id].Word)
                throw new CorpusException($"vocabulary '{path}' is not in descending count order at line {id + 1} ('{counts[id].Word}'), so its ids would not match the matrix");
        return vocabulary;
    }

    private static string Shorten(string line) => line.Length <= 60 ? line : line[..60] + "…";
}
