using EmbedEngine.Vectors;

namespace EmbedEngine.Cli.Commands;

/// <summary>Maps the CLI's format names to <see cref="VectorFormat"/>.</summary>
internal static class OutputFormats
{
    /// <summary>The format named by <paramref name="name"/>, or the one the extension of <paramref name="path"/> implies.</summary>
    public static VectorFormat Resolve(string? name, string path) => name?.ToLowerInvariant() switch
    {
        null or "" => VectorFile.FormatFromExtension(path),
        "word2vec-text" or "text" => VectorFormat.Word2VecText,
        "word2vec-binary" or "binary" => VectorFormat.Word2VecBinary,
        "vec" or "fasttext" => VectorFormat.FastTextVec,
        "native" or "eev" => VectorFormat.Native,
        _ => throw new ArgumentException($"unknown format '{name}': use word2vec-text, word2vec-binary, vec or native"),
    };
}
