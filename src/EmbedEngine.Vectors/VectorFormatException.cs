namespace EmbedEngine.Vectors;

/// <summary>
/// A vectors file cannot be read: it is missing, truncated, corrupted or not in the expected format. The message
/// names the file, the byte offset or line where reading stopped, and what was expected there.
/// </summary>
public sealed class VectorFormatException : Exception
{
    /// <summary>Creates an exception with a ready-made message.</summary>
    public VectorFormatException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with a ready-made message and the error that caused it.</summary>
    public VectorFormatException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    private VectorFormatException(string filePath, long? byteOffset, long? lineNumber, string problem,
        Exception? innerException)
        : base(Describe(filePath, byteOffset, lineNumber, problem), innerException)
    {
        FilePath = filePath;
        ByteOffset = byteOffset;
        LineNumber = lineNumber;
    }

    /// <summary>The file that could not be read, when known.</summary>
    public string? FilePath { get; }

    /// <summary>Byte offset in the file where the problem was found, for binary layouts.</summary>
    public long? ByteOffset { get; }

    /// <summary>One-based line number where the problem was found, for text layouts.</summary>
    public long? LineNumber { get; }

    /// <summary>A problem with <paramref name="filePath"/> as a whole, or where no offset applies.</summary>
    public static VectorFormatException InFile(string filePath, string problem, Exception? inner = null) =>
        new(filePath, null, null, problem, inner);

    /// <summary>A problem found at <paramref name="byteOffset"/> of a binary file.</summary>
    public static VectorFormatException AtOffset(string filePath, long byteOffset, string problem) =>
        new(filePath, byteOffset, null, problem, null);

    internal static VectorFormatException AtLine(string filePath, long lineNumber, string problem) =>
        new(filePath, null, lineNumber, problem, null);

    private static string Describe(string filePath, long? byteOffset, long? lineNumber, string problem) =>
        (byteOffset, lineNumber) switch
        {
            ({ } offset, _) => $"{filePath}: at byte {offset}: {problem}",
            (_, { } line) => $"{filePath}:{line}: {problem}",
            _ => $"{filePath}: {problem}",
        };
}
