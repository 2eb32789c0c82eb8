using System.Text;
using EmbedEngine.Text;

namespace EmbedEngine.Models.Count;

/// <summary>
/// Documents for TF-IDF, each as its whitespace-separated words: one per line of a file, one per file, or given
/// as strings. Files are UTF-8, plain or gzip, streamed by <see cref="CorpusReader"/>: invalid UTF-8 becomes
/// U+FFFD, a word is cut at <see cref="CorpusReader.MaxTokenBytes"/> bytes, and a line without any word is no document.
/// </summary>
public static class TfIdfDocuments
{
    /// <summary>How many documents pass between progress reports.</summary>
    private const int ProgressEveryDocuments = 256;

    private static readonly char[] AsciiWhitespace = [' ', '\t', '\n', '\v', '\f', '\r'];

    /// <summary>Each line of <paramref name="path"/> that holds a word is a document.</summary>
    /// <param name="path">A plain or gzip UTF-8 text file.</param>
    /// <param name="bytesRead">Receives the bytes read so far, now and then, for a progress bar.</param>
    /// <exception cref="CorpusException">The file is missing, unreadable or corrupt gzip.</exception>
    public static IEnumerable<IReadOnlyList<string>> Lines(string path, IProgress<long>? bytesRead = null)
    {
        using CorpusReader reader = CorpusReader.Open(path);
        var words = new List<string>();
        long documents = 0;
        while (ReadUntil(reader, words, stopAtLineEnd: true))
        {
            yield return words.ToArray();
            if (++documents % ProgressEveryDocuments == 0) bytesRead?.Report(reader.Position);
        }
        bytesRead?.Report(reader.Length);
    }

    /// <summary>Each file is one document (an empty file is an empty document).</summary>
    /// <param name="paths">Plain or gzip UTF-8 text files, in document order.</param>
    /// <param name="bytesRead">Receives the bytes of the files read so far, for a progress bar.</param>
    /// <exception cref="CorpusException">A file is missing, unreadable or corrupt gzip.</exception>
    public static IEnumerable<IReadOnlyList<string>> Files(IReadOnlyList<string> paths, IProgress<long>? bytesRead = null)
    {
        var words = new List<string>();
        long finished = 0;
        foreach (string path in paths)
        {
            using (CorpusReader reader = CorpusReader.Open(path))
            {
                ReadUntil(reader, words, stopAtLineEnd: false);
                finished += reader.Length;
            }
            yield return words.ToArray();
            bytesRead?.Report(finished);
        }
    }

    /// <summary>Each string is one document, split at ASCII whitespace as files are.</summary>
    public static IEnumerable<IReadOnlyList<string>> Texts(IEnumerable<string> texts) =>
        texts.Select(text => (IReadOnlyList<string>)text.Split(AsciiWhitespace, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>
    /// The files behind <paramref name="inputs"/>: a file stands for itself and a directory for every file under it,
    /// in ordinal path order, so document numbers do not depend on the file system's listing order.
    /// </summary>
    /// <exception cref="CorpusException">An input does not exist, or no file is found.</exception>
    public static IReadOnlyList<string> ExpandFiles(IReadOnlyList<string> inputs)
    {
        var files = new List<string>();
        foreach (string input in inputs)
        {
            if (File.Exists(input)) files.Add(input);
            else if (Directory.Exists(input))
                files.AddRange(Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
            else throw new CorpusException($"input '{input}' not found");
        }
        if (files.Count == 0) throw new CorpusException($"no files found in {string.Join(", ", inputs.Select(i => $"'{i}'"))}");
        return files;
    }

    /// <summary>Reads words until a line ends (or, with <paramref name="stopAtLineEnd"/> false, the file does).</summary>
    /// <returns>Whether a document was read: false only at the end of input when reading lines.</returns>
    private static bool ReadUntil(CorpusReader reader, List<string> words, bool stopAtLineEnd)
    {
        words.Clear();
        while (reader.Read(out ReadOnlySpan<byte> token, out bool lineBreak))
        {
            if (!lineBreak) words.Add(Encoding.UTF8.GetString(token));
            else if (stopAtLineEnd) return true;
        }
        return !stopAtLineEnd;
    }
}
