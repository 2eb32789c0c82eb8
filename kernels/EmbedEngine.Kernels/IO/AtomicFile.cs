namespace EmbedEngine.Kernels.IO;

/// <summary>Replaces a file all at once, so a crash or an exception never leaves a half-written file behind.</summary>
public static class AtomicFile
{
    /// <summary>
    /// Runs <paramref name="write"/> on a new temporary file in the folder of <paramref name="path"/> (the same file
    /// system, so the final rename is atomic), flushes it to disk, then moves it over <paramref name="path"/>.
    /// If <paramref name="write"/> throws, the temporary file is deleted, any existing file at
    /// <paramref name="path"/> is left untouched, and the exception propagates.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' has no folder.", nameof(path));
        // A dot prefix hides the temporary from casual listings; the random part lets writers of one folder coexist.
        string temporaryPath = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None,
                       bufferSize: 1 << 20))
            {
                write(stream);
                // Data must be on disk before the rename makes it visible, or a power cut could expose an empty file.
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporaryPath, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporaryPath);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original exception matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
