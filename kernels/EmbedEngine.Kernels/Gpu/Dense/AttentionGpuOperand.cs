using EmbedEngine.Kernels.Dense.Attention;
using ILGPU;

namespace EmbedEngine.Kernels.Gpu.Dense;

/// <summary>
/// <see cref="AttentionOperand"/> in device memory: the vector of head h at position t of sequence b starts at
/// View[b·BatchStride + t·RowStride + h·HeadDim], its floats contiguous. So a fused [batch, time, 3·heads·headDim]
/// Q/K/V product is read in place (three views into one buffer, row stride 3·heads·headDim), as on the CPU.
/// </summary>
/// <param name="view">The operand from the first float of sequence 0, position 0, head 0.</param>
/// <param name="rowStride">Floats from one position to the next.</param>
/// <param name="batchStride">Floats from one sequence to the next.</param>
public readonly struct AttentionGpuOperand(ArrayView<float> view, int rowStride, long batchStride)
{
    /// <summary>The operand's floats.</summary>
    public ArrayView<float> View { get; } = view;

    /// <summary>Floats from one position to the next.</summary>
    public int RowStride { get; } = rowStride;

    /// <summary>Floats from one sequence to the next.</summary>
    public long BatchStride { get; } = batchStride;

    /// <summary>A densely packed [batch, length, heads·headDim] operand.</summary>
    public static AttentionGpuOperand Packed(ArrayView<float> view, int length, int heads, int headDim) =>
        new(view, heads * headDim, (long)length * heads * headDim);

    internal OperandStrides Strides => new(RowStride, BatchStride);

    /// <summary>
    /// Checks that the view holds every vector of <paramref name="rows"/> positions of each sequence: what a pointer
    /// could not tell the CPU kernel, a view can, so a wrong stride is an error here, not a fault on the device.
    /// </summary>
    /// <exception cref="ArgumentException">A stride is negative or the view ends before the last vector.</exception>
    internal void Check(string name, in AttentionShape shape, int rows)
    {
        if (RowStride < 0 || BatchStride < 0)
            throw new ArgumentException($"Attention: '{name}' has a negative stride (row {RowStride}, batch {BatchStride}).", name);
        if (shape.Batch == 0 || rows == 0) return;
        long end = (shape.Batch - 1) * BatchStride + (long)(rows - 1) * RowStride + (long)shape.Heads * shape.HeadDim;
        if (View.Length < end)
            throw new ArgumentException(
                $"Attention: '{name}' holds {View.Length:N0} floats; {shape.Batch} sequences of {rows} positions at row stride " +
                $"{RowStride} and batch stride {BatchStride} reach {end:N0}.", name);
    }
}

/// <summary>An operand's strides as the kernels take them (the views travel as separate arguments).</summary>
internal readonly record struct OperandStrides(int Row, long Batch)
{
    /// <summary>The index of the first float of head <paramref name="head"/> at <paramref name="position"/> of sequence <paramref name="batch"/>.</summary>
    public long At(int batch, int position, int head, int headDim) => batch * Batch + (long)position * Row + (long)head * headDim;
}
