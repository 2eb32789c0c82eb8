using EmbedEngine.Kernels.Dense.Attention;

namespace EmbedEngine.Kernels.Speed.Cases;

/// <summary>The fused attention forward pass on one thread: one sequence of <see cref="SpeedShapes.AttentionLength"/>, no mask.</summary>
internal static unsafe class AttentionCases
{
    public static SpeedCase Forward()
    {
        const int heads = SpeedShapes.AttentionHeads, length = SpeedShapes.AttentionLength, headDim = SpeedShapes.AttentionHeadDim;
        var shape = new AttentionShape(1, heads, length, length, headDim, causal: false);
        var operands = new Operands();
        AttentionOperand q = Packed(operands, 1), k = Packed(operands, 2), v = Packed(operands, 3), output = Packed(operands, 4);
        float* logSumExp = operands.Matrix(1, heads * length).Data;
        // QKᵀ and P·V: two products of length × length × headDim per head.
        double flops = 2 * 2.0 * heads * length * length * headDim;
        return SpeedCase.Of<AttentionForwardFn>("Attention", $"h={heads}, T={length}, d={headDim}", Work.Flops(flops),
            ((in AttentionShape s, AttentionOperand q, AttentionOperand k, AttentionOperand v, AttentionOperand o, float* lse, ReadOnlySpan<int> keys, int threads) =>
                AttentionKernel.ForwardScalar(s, q, k, v, o, lse, keys), // the reference is single-threaded and takes no thread count
             AttentionKernel.ForwardAvx2, AttentionKernel.ForwardAvx512),
            forward => () => forward(shape, q, k, v, output, logSumExp, default, 1), operands);
    }

    /// <summary>A packed [T, heads·headDim] buffer of values in ±1.</summary>
    private static AttentionOperand Packed(Operands operands, int salt) =>
        AttentionOperand.Packed(operands.Matrix(SpeedShapes.AttentionLength, SpeedShapes.AttentionHeads * SpeedShapes.AttentionHeadDim, 1f, salt).Data,
            SpeedShapes.AttentionLength, SpeedShapes.AttentionHeads, SpeedShapes.AttentionHeadDim);
}
