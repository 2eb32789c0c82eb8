namespace EmbedEngine.Models.Training;

/// <summary>Names a corpus file for a checkpoint's fingerprint, so a run is not resumed on another or a changed corpus.</summary>
internal static class CorpusIdentity
{
    /// <summary>The full path, length and last write time of <paramref name="path"/> (a cheap stand-in for a hash of it).</summary>
    public static string Of(string path)
    {
        var file = new FileInfo(path);
        return $"corpus {file.FullName}, {file.Length} bytes, modified {file.LastWriteTimeUtc:O}";
    }
}
