using EmbedEngine.Kernels.IO;
using EmbedEngine.Vectors;

namespace EmbedEngine.Models.FastText;

/// <summary>
/// Reads and writes fastText's binary model (.bin, version 12): a magic number and version, the settings, the
/// dictionary, then the input and output matrices as int64 rows, int64 columns and row-major float32 values,
/// each after a one-byte "quantized" flag. Models written here load in fastText and the other way round.
/// </summary>
public static class FastTextBinaryFile
{
    /// <summary>The first four bytes of every fastText binary model.</summary>
    public const int Magic = 793_712_314;

    /// <summary>The only layout version read and written: the one fastText 0.9 writes.</summary>
    public const int Version = 12;

    /// <summary>
    /// Loads a fastText binary model. Every size the file announces is checked against hard limits, against
    /// the settings and against the bytes the file really has before anything large is allocated.
    /// </summary>
    /// <exception cref="VectorFormatException">
    /// The file is missing, not a fastText model, of another version, truncated, inconsistent, or holds a
    /// NaN or infinity; the message names the file and the byte offset.
    /// </exception>
    public static FastTextModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        RequireLittleEndian();
        return FastTextBinaryReader.Read(path);
    }

    /// <summary>
    /// Saves <paramref name="model"/> atomically (see <see cref="AtomicFile"/>): readers of
    /// <paramref name="path"/> see either the old file or the complete new one.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// A matrix holds NaN or infinity (checked before any file is created), or an entry contains a NUL character or
    /// is not valid Unicode (the existing file is then left untouched).
    /// </exception>
    public static void Save(FastTextModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        RequireLittleEndian();
        if (model.QuantizedInput is null) FastTextBinaryWriter.RequireFinite(model.StoredInput, "input");
        if (model.QuantizedOutput is null) FastTextBinaryWriter.RequireFinite(model.Output, "output");
        AtomicFile.Write(path, stream => FastTextBinaryWriter.Write(stream, model));
    }

    /// <summary>Whether <paramref name="path"/> starts with fastText's magic number (false when it cannot be read).</summary>
    public static bool HasMagic(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            using var stream = File.OpenRead(path);
            Span<byte> first = stackalloc byte[sizeof(int)];
            return stream.ReadAtLeast(first, first.Length, throwOnEndOfStream: false) == first.Length
                && BitConverter.ToInt32(first) == Magic;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>fastText writes its integers and floats in the machine's order, which is little-endian everywhere it runs.</summary>
    private static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("fastText models are little-endian; this machine is big-endian.");
    }
}
