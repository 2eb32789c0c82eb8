using EmbedEngine.Kernels.Dense.Attention;
using EmbedEngine.Kernels.Gpu.Dense;
using ILGPU;

namespace EmbedEngine.Kernels.Tests;

/// <summary>One head's vectors inside a strided float array: element c of head h at position t of sequence b.</summary>
public readonly record struct AttentionView(float[] Data, int Offset, int RowStride, long BatchStride, int Rows, AttentionCase Case)
{
    /// <summary>Where element (b, t, h, c) sits in <see cref="Data"/>.</summary>
    public long Index(int b, int t, int h, int c) => Offset + b * BatchStride + (long)t * RowStride + (long)h * Case.HeadDim + c;

    /// <summary>Element (b, t, h, c).</summary>
    public float this[int b, int t, int h, int c]
    {
        get => Data[Index(b, t, h, c)];
        set => Data[Index(b, t, h, c)] = value;
    }

    /// <summary>Copies a packed [batch, rows, heads, headDim] array into <paramref name="target"/> at this view's places.</summary>
    public void Scatter(double[] packed, double[] target)
    {
        int heads = Case.Heads, d = Case.HeadDim;
        for (int b = 0; b < Case.Batch; b++)
        for (int t = 0; t < Rows; t++)
        for (int h = 0; h < heads; h++)
        for (int c = 0; c < d; c++)
            target[Index(b, t, h, c)] = packed[(((long)b * Rows + t) * heads + h) * d + c];
    }
}

/// <summary>
/// Where a case's operands live: Q, K, V and the output each with a few floats of padding after every row, or Q, K
/// and V side by side in one fused row (then the gradients too).
/// </summary>
public sealed class AttentionLayout(AttentionCase c, int padQ, int padK, int padV, int padO)
{
    /// <summary>The case.</summary>
    public AttentionCase Case { get; } = c;

    private int HeadsDim => Case.Heads * Case.HeadDim;

    /// <summary>Row strides of the separate buffers and of the fused one.</summary>
    public int QStride => HeadsDim + padQ;

    /// <inheritdoc cref="QStride"/>
    public int KStride => HeadsDim + padK;

    /// <inheritdoc cref="QStride"/>
    public int VStride => HeadsDim + padV;

    /// <inheritdoc cref="QStride"/>
    public int OStride => HeadsDim + padO;

    /// <inheritdoc cref="QStride"/>
    public int FusedStride => 3 * HeadsDim + padQ;

    /// <summary>[batch, rows, stride]: the first <paramref name="width"/> floats of a row from <paramref name="value"/>, the rest padding.</summary>
    public float[] Fill(int rows, int stride, int width, Func<float> value)
    {
        var data = new float[Case.Batch * rows * stride];
        for (int i = 0; i < data.Length; i++) data[i] = i % stride < width ? value() : Harness.Padding;
        return data;
    }

    /// <summary>Q (or dQ) in <paramref name="data"/>.</summary>
    public AttentionView Q(float[] data) => Case.Fused ? Fused(data, 0) : new(data, 0, QStride, (long)Case.Queries * QStride, Case.Queries, Case);

    /// <summary>K (or dK) in <paramref name="data"/>.</summary>
    public AttentionView K(float[] data) => Case.Fused ? Fused(data, HeadsDim) : new(data, 0, KStride, (long)Case.Keys * KStride, Case.Keys, Case);

    /// <summary>V (or dV) in <paramref name="data"/>.</summary>
    public AttentionView V(float[] data) => Case.Fused ? Fused(data, 2 * HeadsDim) : new(data, 0, VStride, (long)Case.Keys * VStride, Case.Keys, Case);

    /// <summary>O (or dO) in <paramref name="data"/>.</summary>
    public AttentionView O(float[] data) => new(data, 0, OStride, (long)Case.Queries * OStride, Case.Queries, Case);

    /// <summary>Q's operand over buffer <paramref name="handle"/> of an arena.</summary>
    public AttentionOperand Q(Arena m, int handle) => Operand(m, handle, Q(Array.Empty<float>()));

    /// <summary>K's operand over buffer <paramref name="handle"/> of an arena.</summary>
    public AttentionOperand K(Arena m, int handle) => Operand(m, handle, K(Array.Empty<float>()));

    /// <summary>V's operand over buffer <paramref name="handle"/> of an arena.</summary>
    public AttentionOperand V(Arena m, int handle) => Operand(m, handle, V(Array.Empty<float>()));

    /// <summary>O's operand over buffer <paramref name="handle"/> of an arena.</summary>
    public AttentionOperand O(Arena m, int handle) => Operand(m, handle, O(Array.Empty<float>()));

    /// <summary>The device operand at <paramref name="view"/>'s places in buffer <paramref name="handle"/> of a device arena.</summary>
    public AttentionGpuOperand Device(DeviceArena d, int handle, AttentionView view)
    {
        ArrayView<float> whole = d.View(handle);
        return new(whole.SubView(view.Offset, whole.Length - view.Offset), view.RowStride, view.BatchStride);
    }

    private AttentionView Fused(float[] data, int offset) => new(data, offset, FusedStride, (long)Case.Keys * FusedStride, Case.Keys, Case);

    private static unsafe AttentionOperand Operand(Arena m, int handle, AttentionView view) =>
        new(m.Pointer(handle) + view.Offset, view.RowStride, view.BatchStride);
}
