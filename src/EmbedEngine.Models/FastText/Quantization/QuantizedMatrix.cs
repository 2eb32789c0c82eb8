using EmbedEngine.Kernels;

namespace EmbedEngine.Models.FastText.Quantization;

/// <summary>
/// fastText's QuantMatrix: every row stored as one byte per subspace of a <see cref="ProductQuantizer"/>, and,
/// with norm quantization, rows scaled to unit length first and their norms kept as one byte each of a second,
/// one-dimensional quantizer. Prediction reads rows only through <see cref="AddRow"/> and <see cref="DotRow"/>,
/// which decode from the centroids without ever building the dense matrix.
/// </summary>
public sealed class QuantizedMatrix
{
    /// <summary>Wraps codes already computed (e.g. read from a file); sizes are checked.</summary>
    /// <exception cref="ArgumentException">The codes or norm codes do not fit the rows and the quantizers.</exception>
    public QuantizedMatrix(int rows, ProductQuantizer quantizer, byte[] codes, ProductQuantizer? normQuantizer = null, byte[]? normCodes = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (codes.LongLength != (long)rows * quantizer.SubspaceCount)
            throw new ArgumentException($"{codes.LongLength} codes; {rows} rows of {quantizer.SubspaceCount} subspaces need {(long)rows * quantizer.SubspaceCount}");
        if ((normQuantizer is null) != (normCodes is null))
            throw new ArgumentException("norm codes and the norm quantizer come together");
        if (normQuantizer is { Dimension: not 1 })
            throw new ArgumentException($"the norm quantizer must be one-dimensional, not {normQuantizer.Dimension}");
        if (normCodes is not null && normCodes.Length != rows)
            throw new ArgumentException($"{normCodes.Length} norm codes for {rows} rows");
        Rows = rows;
        Quantizer = quantizer;
        Codes = codes;
        NormQuantizer = normQuantizer;
        NormCodes = normCodes;
    }

    /// <summary>Rows of the matrix.</summary>
    public int Rows { get; }

    /// <summary>Floats per row.</summary>
    public int Columns => Quantizer.Dimension;

    /// <summary>The row quantizer.</summary>
    public ProductQuantizer Quantizer { get; }

    /// <summary>One byte per subspace per row, row-major.</summary>
    public byte[] Codes { get; }

    /// <summary>The quantizer of the row norms (<c>-qnorm</c>), or null when rows keep their length.</summary>
    public ProductQuantizer? NormQuantizer { get; }

    /// <summary>One norm code per row with <see cref="NormQuantizer"/>, else null.</summary>
    public byte[]? NormCodes { get; }

    /// <summary>
    /// Quantizes <paramref name="matrix"/> with subspaces of <paramref name="subspaceDimension"/> floats; with
    /// <paramref name="quantizeNorms"/> its rows are first divided by their norms, in place, as fastText does with
    /// the matrix it no longer needs (zero rows stay zero).
    /// </summary>
    /// <exception cref="ArgumentException">The matrix has fewer than 256 rows, or a row holds NaN.</exception>
    public static QuantizedMatrix Quantize(NativeMatrix matrix, int subspaceDimension, bool quantizeNorms)
    {
        ProductQuantizer? normQuantizer = null;
        byte[]? normCodes = null;
        if (quantizeNorms)
        {
            float[] rowNorms = RowNorms.Of(matrix);
            using NativeMatrix norms = NativeMatrix.Allocate(matrix.Rows, 1);
            for (int row = 0; row < matrix.Rows; row++)
            {
                float norm = rowNorms[row];
                if (float.IsNaN(norm)) throw new ArgumentException($"row {row} of the matrix holds NaN");
                norms.Row(row)[0] = norm;
                if (norm != 0f) ScaleKernel.Scale(1f / norm, matrix.Row(row));
            }
            normQuantizer = new ProductQuantizer(1, 1);
            normQuantizer.Train(norms);
            normCodes = new byte[matrix.Rows];
            normQuantizer.Encode(norms, normCodes);
        }
        var quantizer = new ProductQuantizer(matrix.Columns, subspaceDimension);
        quantizer.Train(matrix);
        var codes = new byte[(long)matrix.Rows * quantizer.SubspaceCount];
        quantizer.Encode(matrix, codes);
        return new QuantizedMatrix(matrix.Rows, quantizer, codes, normQuantizer, normCodes);
    }

    /// <summary>x += scale · row <paramref name="row"/> (times its quantized norm).</summary>
    public void AddRow(int row, float scale, Span<float> x)
    {
        CheckRow(row, x.Length);
        float alpha = scale * Norm(row);
        ProductQuantizer pq = Quantizer;
        ReadOnlySpan<byte> code = Codes.AsSpan(row * pq.SubspaceCount, pq.SubspaceCount);
        for (int m = 0; m < pq.SubspaceCount; m++)
        {
            ReadOnlySpan<float> centroids = pq.Centroids(m);
            int start = m * pq.SubspaceDimension, c = code[m];
            for (int k = 0; k < pq.DimensionOf(m); k++) x[start + k] += alpha * centroids[k * ProductQuantizer.CentroidCount + c];
        }
    }

    /// <summary>Row <paramref name="row"/> (times its quantized norm) · x.</summary>
    public float DotRow(int row, ReadOnlySpan<float> x)
    {
        CheckRow(row, x.Length);
        ProductQuantizer pq = Quantizer;
        ReadOnlySpan<byte> code = Codes.AsSpan(row * pq.SubspaceCount, pq.SubspaceCount);
        float sum = 0f;
        for (int m = 0; m < pq.SubspaceCount; m++)
        {
            ReadOnlySpan<float> centroids = pq.Centroids(m);
            int start = m * pq.SubspaceDimension, c = code[m];
            for (int k = 0; k < pq.DimensionOf(m); k++) sum += x[start + k] * centroids[k * ProductQuantizer.CentroidCount + c];
        }
        return sum * Norm(row);
    }

    /// <summary>The average of <paramref name="rows"/> into <paramref name="average"/>, as the dense input's CBOW average.</summary>
    public void Average(ReadOnlySpan<int> rows, Span<float> average)
    {
        average.Clear();
        foreach (int row in rows) AddRow(row, 1f, average);
        ScaleKernel.Scale(1f / rows.Length, average);
    }

    /// <summary>The quantized norm of a row; 1 without norm quantization.</summary>
    private float Norm(int row) => NormCodes is null ? 1f : NormQuantizer!.Centroid(0, NormCodes[row], 0);

    private void CheckRow(int row, int length)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"the matrix has {Rows} rows");
        if (length != Columns) throw new ArgumentException($"the vector has {length} floats; rows have {Columns}");
    }
}
