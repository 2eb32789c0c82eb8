namespace EmbedEngine.Tensors;

/// <summary>
/// How a matrix (the last two dimensions of a tensor) reaches the GEMM kernel without copying: row-major with
/// its row stride, or — for a transposed view — as the transpose of a row-major matrix.
/// </summary>
internal readonly struct GemmOperand
{
    private GemmOperand(Tensor tensor, bool transposed, int leadingDimension)
    {
        Tensor = tensor;
        Transposed = transposed;
        LeadingDimension = leadingDimension;
    }

    /// <summary>The tensor passed (possibly a contiguous copy of the one asked for).</summary>
    public Tensor Tensor { get; }

    /// <summary>Whether the kernel reads it transposed.</summary>
    public bool Transposed { get; }

    /// <summary>Elements between rows of the stored matrix.</summary>
    public int LeadingDimension { get; }

    /// <summary>Elements between consecutive matrices of a batch (0 for rank 2).</summary>
    public long BatchStride => Tensor.Rank > 2 ? Tensor.Stride(-3) : 0;

    /// <summary>Describes <paramref name="tensor"/>, copying it only when neither layout fits.</summary>
    public static GemmOperand Of(Tensor tensor)
    {
        int rows = tensor.Shape[-2], columns = tensor.Shape[-1];
        if (tensor.Stride(-1) == 1 || columns == 1)
            return new GemmOperand(tensor, false, Math.Max(rows == 1 ? columns : tensor.Stride(-2), Math.Max(columns, 1)));
        if (tensor.Stride(-2) == 1 || rows == 1)
            return new GemmOperand(tensor, true, Math.Max(columns == 1 ? rows : tensor.Stride(-1), Math.Max(rows, 1)));
        Tensor copy = tensor.Contiguous();
        return new GemmOperand(copy, false, columns);
    }
}
