using EmbedEngine.Kernels.IO;
using System.Buffers.Binary;
using EmbedEngine.Kernels;
using EmbedEngine.Vectors.IO;

namespace EmbedEngine.Vectors.Formats;

/// <summary>
/// Opens a native vectors file (.eev, see <see cref="NativeHeader"/>) by memory-mapping it: the matrix is never
/// copied, so a matrix larger than RAM can be queried, the operating system paging rows in as they are read.
/// Opening validates the header and vocabulary, verifies the checksum and refuses NaN or infinity, so a
/// damaged file fails here and never later in a query.
/// </summary>
internal static unsafe class NativeVectorReader
{
    /// <summary>Checksum chunk: spans are int-indexed, and 1 GiB keeps each chunk far below that limit.</summary>
    private const int ChecksumChunkBytes = 1 << 30;

    public static KeyedVectors Read(string path)
    {
        FileStream stream = VectorFileStreams.OpenRead(path, bufferSize: 0);
        MappedFile mapped;
        NativeHeader header;
        try
        {
            long length = stream.Length;
            if (length < NativeHeader.Size + NativeHeader.ChecksumSize)
                throw VectorFormatException.AtOffset(path, length,
                    $"the file has only {length} bytes; a native vectors file has at least "
                    + $"{NativeHeader.Size + NativeHeader.ChecksumSize} (header and checksum).");
            Span<byte> headerBytes = stackalloc byte[NativeHeader.Size];
            stream.ReadExactly(headerBytes);
            header = NativeHeader.Parse(path, headerBytes, length);
            mapped = MappedFile.Map(stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        try
        {
            VerifyChecksum(path, mapped, header);
            VocabularyBuilder vocabulary = ReadVocabulary(path, mapped, header);
            var matrix = NativeMatrix.Wrap((float*)(mapped.Pointer + header.MatrixOffset), (int)header.Count,
                header.Dimension, header.Dimension, mapped);
            CheckFinite(path, matrix, header);
            return vocabulary.Build(matrix);
        }
        catch
        {
            mapped.Dispose();
            throw;
        }
    }

    private static void VerifyChecksum(string path, MappedFile mapped, NativeHeader header)
    {
        uint computed = 0;
        for (long offset = 0; offset < header.ChecksumOffset; offset += ChecksumChunkBytes)
        {
            int chunk = (int)Math.Min(ChecksumChunkBytes, header.ChecksumOffset - offset);
            computed = Crc32C.Append(computed, mapped.Bytes(offset, chunk));
        }
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(mapped.Bytes(header.ChecksumOffset, NativeHeader.ChecksumSize));
        if (computed != stored)
            throw VectorFormatException.AtOffset(path, header.ChecksumOffset,
                $"the stored CRC-32C is 0x{stored:X8} but the data gives 0x{computed:X8}; the file is corrupted.");
    }

    private static VocabularyBuilder ReadVocabulary(string path, MappedFile mapped, NativeHeader header)
    {
        var vocabulary = new VocabularyBuilder((int)header.Count);
        long offset = NativeHeader.Size;
        long end = NativeHeader.Size + header.VocabularyBytes;
        for (long row = 0; row < header.Count; row++)
        {
            if (end - offset < sizeof(int))
                throw VectorFormatException.AtOffset(path, offset,
                    $"the vocabulary ends after {row} of {header.Count} words.");
            int length = BinaryPrimitives.ReadInt32LittleEndian(mapped.Bytes(offset, sizeof(int)));
            if (length < 0 || length > end - offset - sizeof(int))
                throw VectorFormatException.AtOffset(path, offset,
                    $"word {row} claims {length} bytes, but the vocabulary has {end - offset - sizeof(int)} left.");
            if (vocabulary.TryAdd(mapped.Bytes(offset + sizeof(int), length)) is { } problem)
                throw VectorFormatException.AtOffset(path, offset, problem);
            offset += sizeof(int) + length;
        }
        if (offset != end)
            throw VectorFormatException.AtOffset(path, offset,
                $"the vocabulary holds {end - offset} bytes more than its {header.Count} words.");
        if (mapped.Bytes(end, (int)(header.MatrixOffset - end)).ContainsAnyExcept((byte)0))
            throw VectorFormatException.AtOffset(path, end, "the padding before the matrix is not zero.");
        return vocabulary;
    }

    private static void CheckFinite(string path, NativeMatrix matrix, NativeHeader header)
    {
        for (int row = 0; row < matrix.Rows; row++)
        {
            int bad = FiniteCheck.IndexOfNonFinite(matrix.Row(row));
            if (bad >= 0)
                throw VectorFormatException.AtOffset(path,
                    header.MatrixOffset + ((long)row * header.Dimension + bad) * sizeof(float),
                    $"value {bad + 1} of row {row} is {matrix.Row(row)[bad]}; expected a finite float32.");
        }
    }
}
