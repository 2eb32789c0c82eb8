using System.Runtime.InteropServices;
using System.Text;

namespace EmbedEngine.Vectors.Formats;

/// <summary>
/// Writes word2vec.c's binary layout byte for byte: "%lld %lld\n", then per word "%s ", the dim float32 values
/// as they lie in memory (little-endian) and "\n".
/// </summary>
internal static class Word2VecBinaryWriter
{
    public static void Write(Stream stream, KeyedVectors vectors)
    {
        stream.Write(Encoding.ASCII.GetBytes($"{vectors.Count} {vectors.Dimension}\n"));
        for (int row = 0; row < vectors.Count; row++)
        {
            stream.Write(Encoding.UTF8.GetBytes(vectors.Words[row]));
            stream.WriteByte((byte)' ');
            stream.Write(MemoryMarshal.AsBytes(vectors.Vector(row)));
            stream.WriteByte((byte)'\n');
        }
    }
}
