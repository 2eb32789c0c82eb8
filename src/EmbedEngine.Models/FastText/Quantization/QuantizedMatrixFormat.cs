using System.Runtime.InteropServices;

namespace EmbedEngine.Models.FastText.Quantization;

/// <summary>
/// fastText's QuantMatrix on disk, as a <c>.ftz</c> stores its input (and, with <c>-qout</c>, output) matrix:
/// bool qnorm, int64 rows, int64 columns, int32 codesize, the codes, the product quantizer (int32 dim, nsubq,
/// dsub, lastdsub, then dim × 256 floats, centroid-major per subspace), and with qnorm one norm code per row and
/// the one-dimensional norm quantizer in the same layout. Every size is checked against the expected shape and
/// the bytes left before anything is allocated.
/// </summary>
internal static class QuantizedMatrixFormat
{
    /// <summary>Writes <paramref name="matrix"/> (the quantized flag before it is the caller's).</summary>
    public static void Write(BinaryWriter writer, QuantizedMatrix matrix)
    {
        writer.Write(matrix.NormQuantizer is not null);
        writer.Write((long)matrix.Rows);
        writer.Write((long)matrix.Columns);
        writer.Write(matrix.Codes.Length);
        writer.Write(matrix.Codes);
        WriteQuantizer(writer, matrix.Quantizer);
        if (matrix.NormQuantizer is null) return;
        writer.Write(matrix.NormCodes!);
        WriteQuantizer(writer, matrix.NormQuantizer);
    }

    /// <summary>Reads a matrix that must be <paramref name="rows"/> × <paramref name="columns"/>.</summary>
    /// <exception cref="EmbedEngine.Vectors.VectorFormatException">The layout, a size or a value is wrong, or the file is truncated.</exception>
    public static QuantizedMatrix Read(FastTextFileInput input, string name, long rows, int columns)
    {
        long flagOffset = input.Position;
        byte normFlag = input.ReadByte($"the {name} matrix's qnorm flag");
        if (normFlag > 1) throw input.Fail(flagOffset, $"the {name} matrix's qnorm flag is {normFlag}; expected 0 or 1.");
        long shapeOffset = input.Position;
        long fileRows = input.ReadInt64($"the {name} matrix's row count");
        long fileColumns = input.ReadInt64($"the {name} matrix's column count");
        if (fileRows != rows || fileColumns != columns)
            throw input.Fail(shapeOffset, $"the quantized {name} matrix is {fileRows} x {fileColumns}; the settings and dictionary call for {rows} x {columns}.");
        long codesOffset = input.Position;
        int codeSize = input.ReadInt32($"the {name} matrix's code size");
        // One code per subspace per row, and a subspace holds at least one column.
        if (rows == 0 || codeSize <= 0 || codeSize % rows != 0 || codeSize / rows > columns)
            throw input.Fail(codesOffset, $"the {name} matrix has a code size of {codeSize} for {rows} rows of {columns} columns; expected rows x subspaces, with 1 to {columns} subspaces.");
        byte[] codes = ReadBytes(input, codeSize, $"the {name} matrix's codes");
        ProductQuantizer quantizer = ReadQuantizer(input, $"the {name} matrix's quantizer", columns, (int)(codeSize / rows));
        if (normFlag == 0) return new QuantizedMatrix((int)rows, quantizer, codes);
        byte[] normCodes = ReadBytes(input, rows, $"the {name} matrix's norm codes");
        ProductQuantizer normQuantizer = ReadQuantizer(input, $"the {name} matrix's norm quantizer", 1, 1);
        return new QuantizedMatrix((int)rows, quantizer, codes, normQuantizer, normCodes);
    }

    private static void WriteQuantizer(BinaryWriter writer, ProductQuantizer quantizer)
    {
        writer.Write(quantizer.Dimension);
        writer.Write(quantizer.SubspaceCount);
        writer.Write(quantizer.SubspaceDimension);
        writer.Write(quantizer.LastSubspaceDimension);
        writer.Write(MemoryMarshal.AsBytes<float>(quantizer.CentroidMajor()));
    }

    /// <summary>A quantizer that must be <paramref name="dimension"/> wide with <paramref name="subspaces"/> subspaces.</summary>
    private static ProductQuantizer ReadQuantizer(FastTextFileInput input, string name, int dimension, int subspaces)
    {
        long offset = input.Position;
        int fileDimension = input.ReadInt32($"{name}'s dimension");
        int fileSubspaces = input.ReadInt32($"{name}'s subspace count");
        int subspaceDimension = input.ReadInt32($"{name}'s subspace dimension");
        int lastDimension = input.ReadInt32($"{name}'s last subspace dimension");
        // fastText keeps a dsub larger than the dimension as given, with one subspace of the whole row.
        bool consistent = fileDimension == dimension && fileSubspaces == subspaces && subspaceDimension >= 1
            && (long)(subspaces - 1) * subspaceDimension + lastDimension == dimension
            && lastDimension >= 1 && lastDimension <= subspaceDimension;
        if (!consistent)
            throw input.Fail(offset, $"{name} has dimension {fileDimension}, {fileSubspaces} subspaces of {subspaceDimension} and a last one of {lastDimension}; expected dimension {dimension} cut into {subspaces} subspaces.");
        long floats = (long)dimension * ProductQuantizer.CentroidCount;
        byte[] bytes = ReadBytes(input, floats * sizeof(float), $"{name}'s centroids");
        float[] centroids = MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        int bad = Array.FindIndex(centroids, value => !float.IsFinite(value));
        if (bad >= 0) throw input.Fail(input.Position - bytes.Length + bad * sizeof(float), $"a centroid of {name} is {centroids[bad]}; expected a finite float32.");
        return ProductQuantizer.FromCentroidMajor(dimension, subspaceDimension, centroids);
    }

    /// <summary><paramref name="count"/> bytes, refused before allocating when fewer are left.</summary>
    private static byte[] ReadBytes(FastTextFileInput input, long count, string field)
    {
        if (count > input.Remaining)
            throw input.Fail(input.Position, $"{field} need {count} bytes, but only {input.Remaining} are left; the file is truncated.");
        var bytes = new byte[count];
        input.Read(bytes, field);
        return bytes;
    }
}
