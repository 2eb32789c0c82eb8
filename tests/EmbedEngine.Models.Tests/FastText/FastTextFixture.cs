using System.Globalization;

namespace EmbedEngine.Models.Tests.FastText;

/// <summary>
/// The model fastText itself trained for these tests and what fastText printed for it (see Fixtures/FastText/README.md).
/// </summary>
internal static class FastTextFixture
{
    public const int Dimension = 8;
    public const int Words = 862;
    public const int Buckets = 1000;

    /// <summary>Where the input matrix's quantization flag sits: after the 8-byte signature, 56-byte settings and the dictionary.</summary>
    public static long InputFlagOffset => new FileInfo(ModelPath).Length - OutputBytes - InputBytes;

    /// <summary>Where the output matrix's quantization flag sits.</summary>
    public static long OutputFlagOffset => new FileInfo(ModelPath).Length - OutputBytes;

    /// <summary>Flag, rows, columns, values.</summary>
    public static long InputBytes => 1 + 16 + (long)(Words + Buckets) * Dimension * sizeof(float);

    public static long OutputBytes => 1 + 16 + (long)Words * Dimension * sizeof(float);

    public static string ModelPath => InFolder("tiny-skipgram.bin");

    /// <summary>fastText's own .vec output for the model.</summary>
    public static string VecPath => InFolder("tiny-skipgram.vec");

    /// <summary>
    /// fastText's print-word-vectors output: the words as printed, each value's text as printed (five significant
    /// digits), and the values parsed.
    /// </summary>
    public static IReadOnlyList<(string Word, string[] Printed, float[] Values)> ExpectedVectors() =>
        File.ReadAllLines(InFolder("expected-word-vectors.txt"))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(parts => (parts[0], parts[1..],
                parts[1..].Select(p => float.Parse(p, CultureInfo.InvariantCulture)).ToArray()))
            .ToList();

    private static string InFolder(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "FastText", name);
}
