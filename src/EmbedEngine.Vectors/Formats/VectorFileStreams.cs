namespace EmbedEngine.Vectors.Formats;

/// <summary>Opens vectors files for reading, turning "not there" into the one exception type loaders throw.</summary>
public static class VectorFileStreams
{
    /// <summary>Large enough that reading is bound by parsing, not by system calls.</summary>
    private const int ReadBufferBytes = 1 << 20;

    /// <summary>Opens <paramref name="path"/> for sequential reading.</summary>
    /// <exception cref="VectorFormatException">The file or its folder does not exist.</exception>
    public static FileStream OpenRead(string path, int bufferSize = ReadBufferBytes)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize,
                FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw VectorFormatException.InFile(path, "the file does not exist.", e);
        }
    }
}
