using EmbedEngine.Kernels.Dense;
using EmbedEngine.Kernels.Dense.Attention;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Kernels.Gpu.Dense;

/// <summary>
/// <see cref="AttentionKernel"/>'s twin, FlashAttention-2 style on the device: the same shapes, strided operands
/// (fused QKV included), masks, scale and log-sum-exp layout ([batch, heads, queries] contiguous), in device memory.
/// The forward pass gives each (sequence, head, query tile) one thread group, which stages its queries and then each
/// tile of keys and values in shared memory and keeps a running maximum and sum per query row (online softmax), so no
/// score matrix larger than one tile × tile exists. The backward pass recomputes P = e^(s·q·k − lse) from the saved
/// log-sum-exp in two kernels without atomics, as the Triton tutorial's fused attention does: one group per key tile
/// accumulates dK and dV over the query tiles that see it, one group per query tile accumulates dQ over its key
/// tiles; the results therefore do not depend on scheduling. A fully masked row has output 0, log-sum-exp −∞ and no
/// gradient. Every call returns once queued.
/// </summary>
/// <remarks>
/// The key lengths live on the device and are not read back to be checked; a length outside 0 … KeyLength counts as
/// the nearer end of that range (the CPU kernel throws on it).
/// </remarks>
public static partial class AttentionGpu
{
    /// <summary>Floats of one staged Q, K, V, O or gradient tile: 4 KiB, so the six tiles of the dK/dV kernel fit a GPU's 48 KiB of shared memory.</summary>
    private const int TileFloats = 1024;

    /// <summary>The most queries or keys per tile; small head dims get 32 × 32 score tiles, 4 KiB each.</summary>
    private const int MaxTile = 32;

    private static readonly KernelCache<Action<KernelConfig, AttentionArguments, ArrayView<float>, ArrayView<float>, ArrayView<float>,
        ArrayView<float>, ArrayView<float>, ArrayView<int>>> ForwardLauncher =
        new(a => a.LoadStreamKernel<AttentionArguments, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>,
            ArrayView<float>, ArrayView<int>>(ForwardKernel));

    private static readonly KernelCache<Action<KernelConfig, AttentionArguments, ArrayView<float>, ArrayView<float>, ArrayView<float>,
        ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>>> KeyGradientLauncher =
        new(a => a.LoadStreamKernel<AttentionArguments, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>,
            ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>>(KeyGradientKernel));

    private static readonly KernelCache<Action<KernelConfig, AttentionArguments, ArrayView<float>, ArrayView<float>, ArrayView<float>,
        ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<float>>> QueryGradientLauncher =
        new(a => a.LoadStreamKernel<AttentionArguments, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>,
            ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<float>>(QueryGradientKernel));

    /// <summary>O and the row log-sum-exp on <paramref name="device"/>; returns once queued.</summary>
    /// <param name="device">Where the views live.</param>
    /// <param name="shape">The sizes, mask and scale.</param>
    /// <param name="q">Queries, [batch, queries, heads·headDim] at its strides.</param>
    /// <param name="k">Keys, [batch, keys, heads·headDim] at its strides.</param>
    /// <param name="v">Values, laid out as the keys.</param>
    /// <param name="output">Receives O, laid out as the queries.</param>
    /// <param name="logSumExp">Receives each query row's log-sum-exp of its scaled scores, [batch, heads, queries].</param>
    /// <param name="keyLengths">Each sequence's valid key count, or an empty view when every key is valid.</param>
    public static void Forward(GpuDevice device, in AttentionShape shape, AttentionGpuOperand q, AttentionGpuOperand k,
        AttentionGpuOperand v, AttentionGpuOperand output, ArrayView<float> logSumExp, ArrayView<int> keyLengths)
    {
        q.Check("q", shape, shape.QueryLength);
        k.Check("k", shape, shape.KeyLength);
        v.Check("v", shape, shape.KeyLength);
        output.Check("output", shape, shape.QueryLength);
        CheckRows(shape, logSumExp, keyLengths);
        int groups = shape.Batch * shape.Heads * Tiles(shape.QueryLength, shape.HeadDim);
        if (groups == 0) return;
        var arguments = AttentionArguments.Of(shape, keyLengths.Length > 0, q, k, v, output, default, default, default, default);
        ForwardLauncher.On(device)(Groups(device, groups), arguments, q.View, k.View, v.View, output.View, logSumExp,
            KeyLengthsOrStandIn(keyLengths, logSumExp));
    }

    /// <summary>
    /// dQ, dK and dV (overwritten) from dO, with the output and log-sum-exp that <see cref="Forward"/> wrote, on
    /// <paramref name="device"/>; returns once queued. In a fused layout the three gradients may share one buffer.
    /// </summary>
    public static void Backward(GpuDevice device, in AttentionShape shape, AttentionGpuOperand q, AttentionGpuOperand k,
        AttentionGpuOperand v, AttentionGpuOperand output, AttentionGpuOperand dOutput, ArrayView<float> logSumExp,
        ArrayView<int> keyLengths, AttentionGpuOperand dq, AttentionGpuOperand dk, AttentionGpuOperand dv)
    {
        q.Check("q", shape, shape.QueryLength);
        k.Check("k", shape, shape.KeyLength);
        v.Check("v", shape, shape.KeyLength);
        output.Check("output", shape, shape.QueryLength);
        dOutput.Check("dOutput", shape, shape.QueryLength);
        dq.Check("dq", shape, shape.QueryLength);
        dk.Check("dk", shape, shape.KeyLength);
        dv.Check("dv", shape, shape.KeyLength);
        CheckRows(shape, logSumExp, keyLengths);
        var arguments = AttentionArguments.Of(shape, keyLengths.Length > 0, q, k, v, output, dOutput, dq, dk, dv);
        int pairs = shape.Batch * shape.Heads;
        // Keys no query sees still get their zero gradient from the dK/dV kernel, so it runs even without queries.
        if (pairs * Tiles(shape.KeyLength, shape.HeadDim) > 0)
            KeyGradientLauncher.On(device)(Groups(device, pairs * Tiles(shape.KeyLength, shape.HeadDim)), arguments, q.View, k.View,
                v.View, output.View, dOutput.View, logSumExp, KeyLengthsOrStandIn(keyLengths, dk.View), dk.View, dv.View);
        if (pairs * Tiles(shape.QueryLength, shape.HeadDim) > 0)
            QueryGradientLauncher.On(device)(Groups(device, pairs * Tiles(shape.QueryLength, shape.HeadDim)), arguments, q.View, k.View,
                v.View, output.View, dOutput.View, logSumExp, KeyLengthsOrStandIn(keyLengths, dq.View), dq.View);
    }

    /// <summary>Queries or keys per tile for head dimension <paramref name="headDim"/>: a staged tile holds at most <see cref="TileFloats"/>.</summary>
    internal static int Tile(int headDim) => Math.Clamp(TileFloats / headDim, 1, MaxTile);

    private static int Tiles(int length, int headDim) => (length + Tile(headDim) - 1) / Tile(headDim);

    /// <summary>One group per tile, as wide as <see cref="GroupReduce.RowGroups"/> makes the row kernels' groups.</summary>
    private static KernelConfig Groups(GpuDevice device, int tiles) => GroupReduce.RowGroups(device, tiles);

    private static void CheckRows(in AttentionShape shape, ArrayView<float> logSumExp, ArrayView<int> keyLengths)
    {
        RowMajor.Length("logSumExp", DeviceViews.Length(logSumExp, "logSumExp"), shape.Batch * shape.Heads * shape.QueryLength);
        int lengths = DeviceViews.Length(keyLengths, "keyLengths");
        if (lengths != 0 && lengths != shape.Batch)
            throw new ArgumentException($"Attention: {lengths} key lengths for {shape.Batch} sequences.", nameof(keyLengths));
    }

    /// <summary>
    /// The key lengths, or, when there are none, a view the kernel never reads: an empty view may have no buffer
    /// behind it, which a launcher need not accept.
    /// </summary>
    private static ArrayView<int> KeyLengthsOrStandIn(ArrayView<int> keyLengths, ArrayView<float> standIn) =>
        keyLengths.Length > 0 ? keyLengths : standIn.Cast<int>();

    /// <summary>
    /// The scalars of one call, passed to the kernels as one value (internal, since ILGPU's generated launcher must
    /// see it): <see cref="AttentionShape"/>'s sizes with the mask flags as 0 or 1, since kernel arguments cannot be
    /// bool, and every operand's strides.
    /// </summary>
    internal readonly record struct AttentionArguments(int Heads, int QueryLength, int KeyLength, int HeadDim, int Causal, float Scale,
        int Tile, int Padded, OperandStrides Q, OperandStrides K, OperandStrides V, OperandStrides O, OperandStrides DO,
        OperandStrides DQ, OperandStrides DK, OperandStrides DV)
    {
        public static AttentionArguments Of(in AttentionShape shape, bool padded, AttentionGpuOperand q, AttentionGpuOperand k,
            AttentionGpuOperand v, AttentionGpuOperand o, AttentionGpuOperand dOutput, AttentionGpuOperand dq, AttentionGpuOperand dk,
            AttentionGpuOperand dv) =>
            new(shape.Heads, shape.QueryLength, shape.KeyLength, shape.HeadDim, shape.Causal ? 1 : 0, shape.Scale, AttentionGpu.Tile(shape.HeadDim),
                padded ? 1 : 0, q.Strides, k.Strides, v.Strides, o.Strides, dOutput.Strides, dq.Strides, dk.Strides, dv.Strides);

        /// <summary>Sequence <paramref name="batch"/>'s valid keys, clamped to 0 … KeyLength.</summary>
        public int KeyLengthOf(ArrayView<int> keyLengths, int batch) =>
            Padded != 0 ? Math.Max(0, Math.Min(keyLengths[batch], KeyLength)) : KeyLength;

        /// <summary><see cref="AttentionShape.VisibleKeys"/>, which a kernel cannot call: the shape holds a bool.</summary>
        public int Visible(int query, int keyLength) =>
            Causal != 0 ? Math.Min(keyLength, query + KeyLength - QueryLength + 1) : keyLength;

        /// <summary>Where the log-sum-exp of query <paramref name="query"/> of (sequence, head) <paramref name="pair"/> sits.</summary>
        public long LogSumExpAt(int pair, int query) => (long)pair * QueryLength + query;
    }
}
