using EmbedEngine.Kernels.IO;
using EmbedEngine.Vectors.Formats;

namespace EmbedEngine.Vectors;

/// <summary>Loads and saves <see cref="KeyedVectors"/> in the layouts of <see cref="VectorFormat"/>.</summary>
public static class VectorFile
{
    /// <summary>
    /// Loads a vectors file. Any problem with the file (missing, empty, truncated, a header that does not match the
    /// data, a malformed row, NaN or infinity, invalid UTF-8 or a repeated word, a bad checksum) is reported here as
    /// a <see cref="VectorFormatException"/>, before anything large is allocated.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="format">
    /// The layout, or null to detect it: the native magic; else a "count dim" first line means word2vec (text or
    /// binary, told apart by the bytes after the first word; fastText .vec reads as word2vec text); else GloVe text.
    /// </param>
    /// <returns>The vectors. Native files are memory-mapped until the result is disposed.</returns>
    /// <exception cref="VectorFormatException">The file cannot be read as vectors.</exception>
    public static KeyedVectors Load(string path, VectorFormat? format = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        RequireLittleEndian();
        return (format ?? FormatDetector.Detect(path)) switch
        {
            VectorFormat.Word2VecText or VectorFormat.FastTextVec => TextVectorReader.ReadWithHeader(path),
            VectorFormat.GloVeText => TextVectorReader.ReadHeaderless(path),
            VectorFormat.Word2VecBinary => Word2VecBinaryReader.Read(path),
            VectorFormat.Native => NativeVectorReader.Read(path),
            var other => throw new ArgumentOutOfRangeException(nameof(format), other, "Unknown vector format."),
        };
    }

    /// <summary>
    /// Saves <paramref name="vectors"/> atomically (see <see cref="AtomicFile"/>): readers of
    /// <paramref name="path"/> see either the old file or the complete new one.
    /// Text layouts print values as their original tools do (six decimals for word2vec and GloVe, five significant
    /// digits for fastText), so they lose precision; the binary and native layouts are exact.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// A value is NaN or infinite, or a word cannot be stored in <paramref name="format"/> (empty or containing
    /// whitespace, except in <see cref="VectorFormat.Native"/>; not valid Unicode). Checked before any file is created.
    /// </exception>
    public static void Save(KeyedVectors vectors, string path, VectorFormat format)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentException.ThrowIfNullOrEmpty(path);
        RequireLittleEndian();
        Action<Stream, KeyedVectors> write = format switch
        {
            VectorFormat.Word2VecText => TextVectorWriter.WriteWord2Vec,
            VectorFormat.FastTextVec => TextVectorWriter.WriteFastText,
            VectorFormat.GloVeText => TextVectorWriter.WriteGloVe,
            VectorFormat.Word2VecBinary => Word2VecBinaryWriter.Write,
            VectorFormat.Native => NativeVectorWriter.Write,
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown vector format."),
        };
        WritableCheck.Check(vectors, format);
        AtomicFile.Write(path, stream => write(stream, vectors));
    }

    /// <summary>
    /// The layout a file name suggests: .bin → <see cref="VectorFormat.Word2VecBinary"/>, .vec →
    /// <see cref="VectorFormat.FastTextVec"/>, .txt → <see cref="VectorFormat.Word2VecText"/>, .eev →
    /// <see cref="VectorFormat.Native"/> (case-insensitive). GloVe files are also .txt: load them with
    /// format detection.
    /// </summary>
    /// <exception cref="ArgumentException">The extension is none of these.</exception>
    public static VectorFormat FormatFromExtension(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".bin" => VectorFormat.Word2VecBinary,
            ".vec" => VectorFormat.FastTextVec,
            ".txt" => VectorFormat.Word2VecText,
            ".eev" => VectorFormat.Native,
            var other => throw new ArgumentException(
                $"'{path}': the extension '{other}' is not one of .bin, .vec, .txt, .eev.", nameof(path)),
        };
    }

    /// <summary>Every layout stores little-endian float32 and is read and written as raw memory.</summary>
    private static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Vector files are little-endian; this machine is big-endian.");
    }
}
