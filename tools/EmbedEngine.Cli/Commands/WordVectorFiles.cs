using EmbedEngine.Models.FastText;
using EmbedEngine.Vectors;

namespace EmbedEngine.Cli.Commands;

/// <summary>Loads the vectors a command searches or evaluates, from a vector file or a fastText model.</summary>
internal static class WordVectorFiles
{
    /// <summary>
    /// A fastText binary model (told by its magic number; vocabulary words only, as its .vec would hold them), or
    /// any layout <see cref="VectorFile"/> detects.
    /// </summary>
    public static KeyedVectors Load(string path)
    {
        if (!FastTextBinaryFile.HasMagic(path)) return VectorFile.Load(path);
        using FastTextModel model = FastTextBinaryFile.Load(path);
        return model.ToKeyedVectors();
    }
}
