namespace EmbedEngine.Evaluation;

/// <summary>An evaluation data file (analogy questions, similarity pairs) is missing or has a line that does not parse.
/// The message names the file and, where there is one, the line.</summary>
public sealed class EvaluationDataException : Exception
{
    /// <summary>Creates an exception with a ready-made message.</summary>
    public EvaluationDataException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with a ready-made message and the error that caused it.</summary>
    public EvaluationDataException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    private EvaluationDataException(string filePath, long? lineNumber, string problem, Exception? innerException)
        : base(lineNumber is { } line ? $"{filePath}:{line}: {problem}" : $"{filePath}: {problem}", innerException)
    {
        FilePath = filePath;
        LineNumber = lineNumber;
    }

    /// <summary>The file that could not be read, when known.</summary>
    public string? FilePath { get; }

    /// <summary>One-based number of the offending line, when there is one.</summary>
    public long? LineNumber { get; }

    internal static EvaluationDataException AtLine(string filePath, long lineNumber, string problem) =>
        new(filePath, lineNumber, problem, null);

    /// <summary>Reads all lines of <paramref name="path"/>, reporting a missing file as this exception.</summary>
    internal static string[] ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new EvaluationDataException(path, null, "the file does not exist.", e);
        }
    }
}
