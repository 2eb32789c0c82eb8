using System.Globalization;
using EmbedEngine.Kernels;
using EmbedEngine.Vectors;

namespace EmbedEngine.Cli.Commands;

/// <summary>Sentence collections as <c>embed encode</c> and <c>embed search</c> read them (one a line) and keep their vectors (keyed by line number).</summary>
internal static class SentenceLines
{
    /// <summary>Every line of a UTF-8 file, carriage returns dropped; a final newline ends the last line and adds none.</summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="ArgumentException">The file is empty.</exception>
    public static string[] Read(string path)
    {
        string[] lines = ContextualTexts.ReadText(path).Split('\n');
        if (lines[^1].Length == 0) lines = lines[..^1];
        return [.. lines.Select(l => l.TrimEnd('\r'))];
    }

    /// <summary>The rows of <paramref name="matrix"/> (which the result takes over) keyed by line number: "1", "2", ….</summary>
    public static KeyedVectors KeyedByLine(NativeMatrix matrix) =>
        new([.. Enumerable.Range(1, matrix.Rows).Select(i => i.ToString(CultureInfo.InvariantCulture))], matrix);
}
