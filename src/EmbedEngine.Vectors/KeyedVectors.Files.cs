namespace EmbedEngine.Vectors;

/// <summary>Loading and saving in one call, as gensim's <c>KeyedVectors.load</c> and <c>save</c> read.</summary>
public sealed partial class KeyedVectors
{
    /// <summary>
    /// Loads a vectors file in any layout of <see cref="VectorFormat"/>, detected from its bytes
    /// (<see cref="VectorFile.Load"/> with no format given).
    /// </summary>
    /// <exception cref="VectorFormatException">The file cannot be read as vectors.</exception>
    public static KeyedVectors Load(string path) => VectorFile.Load(path);

    /// <summary>
    /// Saves these vectors atomically in the layout the extension of <paramref name="path"/> names (.bin, .vec, .txt,
    /// .eev; see <see cref="VectorFile.FormatFromExtension"/> and <see cref="VectorFile.Save"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The extension is none of these, or a word or value cannot be stored in that layout.</exception>
    public void Save(string path) => VectorFile.Save(this, path, VectorFile.FormatFromExtension(path));
}
