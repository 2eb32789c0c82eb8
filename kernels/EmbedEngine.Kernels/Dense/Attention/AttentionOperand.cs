namespace EmbedEngine.Kernels.Dense.Attention;

/// <summary>
/// Where the vectors of one attention operand (Q, K, V, the output or a gradient) live: the vector of head h at
/// position t of sequence b starts at Data + b·BatchStride + t·RowStride + h·HeadDim, its floats contiguous. So the
/// [batch, time, 3·heads·headDim] output of one fused Q/K/V product is read in place (row stride 3·heads·headDim),
/// and so is a key/value cache with room for more positions than it holds (batch stride capacity·row stride).
/// </summary>
public readonly unsafe struct AttentionOperand(float* data, int rowStride, long batchStride)
{
    /// <summary>The first float of sequence 0, position 0, head 0.</summary>
    public float* Data { get; } = data;

    /// <summary>Floats from one position to the next.</summary>
    public int RowStride { get; } = rowStride;

    /// <summary>Floats from one sequence to the next.</summary>
    public long BatchStride { get; } = batchStride;

    /// <summary>A densely packed [batch, length, heads·headDim] operand.</summary>
    public static AttentionOperand Packed(float* data, int length, int heads, int headDim) =>
        new(data, heads * headDim, (long)length * heads * headDim);

    /// <summary>The vector of head <paramref name="head"/> at <paramref name="position"/> of sequence <paramref name="batch"/>.</summary>
    public float* At(int batch, int position, int head, int headDim) =>
        Data + batch * BatchStride + (long)position * RowStride + (long)head * headDim;
}
