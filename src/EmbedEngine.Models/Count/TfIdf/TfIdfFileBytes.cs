using EmbedEngine.Text;

namespace EmbedEngine.Models.Count;

/// <summary>Reads a whole TF-IDF model or index file, turning I/O failures into one clear error.</summary>
internal static class TfIdfFileBytes
{
    /// <param name="path">The file.</param>
    /// <param name="kind">What the file should be, for the message ("model", "index").</param>
    /// <exception cref="CorpusException">The file is missing or unreadable.</exception>
    public static byte[] Read(string path, string kind)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CorpusException($"Cannot read the TF-IDF {kind} '{path}': {e.Message}", e);
        }
    }
}
