using EmbedEngine.Kernels.Dense.Attention;

namespace EmbedEngine.Kernels.Speed.Cases;

/// <summary>The fused attention forward and backward passes on one thread: one sequence of <see cref="SpeedShapes.AttentionLength"/>, no mask.</summary>
internal static unsafe class AttentionCases
{
    private const int Heads = SpeedShapes.AttentionHeads, Length = SpeedShapes.AttentionLength, HeadDim = SpeedShapes.AttentionHeadDim;

    private static readonly AttentionShape Shape = new(1, Heads, Length, Length, HeadDim, causal: false);

    private static readonly string ShapeName = $"h={Heads}, T={Length}, d={HeadDim}";

    public static SpeedCase Forward()
    {
        var operands = new Operands();
        AttentionOperand q = Packed(operands, 1), k = Packed(operands, 2), v = Packed(operands, 3), output = Packed(operands, 4);
        float* logSumExp = operands.Vector(Heads * Length);
        // QKᵀ and P·V: two products of length × length × headDim per head.
        double flops = 2 * 2.0 * Heads * Length * Length * HeadDim;
        return SpeedCase.Of<AttentionForwardFn>("Attention", ShapeName, Work.Flops(flops),
            ((in AttentionShape s, AttentionOperand q, AttentionOperand k, AttentionOperand v, AttentionOperand o, float* lse, ReadOnlySpan<int> keys, int threads) =>
                AttentionKernel.ForwardScalar(s, q, k, v, o, lse, keys), // the reference is single-threaded and takes no thread count
             AttentionKernel.ForwardAvx2, AttentionKernel.ForwardAvx512),
            forward => () => forward(Shape, q, k, v, output, logSumExp, default, 1), operands);
    }

    /// <summary>
    /// dQ, dK and dV from dO, with the output and log-sum-exp of one forward pass made when the case is built. Five
    /// products of T × T × d per head: S = QKᵀ recomputed, dV = PᵀdO, dP = dO·Vᵀ, dQ = dS·K and dK = dSᵀ·Q, 10·h·T²·d
    /// flops (the scalar reference does the same five).
    /// </summary>
    public static SpeedCase Backward()
    {
        var operands = new Operands();
        AttentionOperand q = Packed(operands, 1), k = Packed(operands, 2), v = Packed(operands, 3), output = Packed(operands, 4);
        AttentionOperand dOutput = Packed(operands, 5), dq = Packed(operands, 6), dk = Packed(operands, 7), dv = Packed(operands, 8);
        float* logSumExp = operands.Vector(Heads * Length, 0f);
        AttentionKernel.Forward(Shape, q, k, v, output, logSumExp, default, 1);
        double flops = 5 * 2.0 * Heads * Length * Length * HeadDim;
        return SpeedCase.Of<AttentionBackwardFn>("AttentionBackward", ShapeName, Work.Flops(flops),
            ((in AttentionShape s, AttentionOperand q, AttentionOperand k, AttentionOperand v, AttentionOperand o, AttentionOperand dO, float* lse,
                ReadOnlySpan<int> keys, AttentionOperand dq, AttentionOperand dk, AttentionOperand dv, int threads) =>
                AttentionKernel.BackwardScalar(s, q, k, v, dO, keys, dq, dk, dv), // the reference recomputes P, single-threaded
             AttentionKernel.BackwardAvx2, AttentionKernel.BackwardAvx512),
            backward => () => backward(Shape, q, k, v, output, dOutput, logSumExp, default, dq, dk, dv, 1), operands);
    }

    /// <summary>A packed [T, heads·headDim] buffer of values in ±1.</summary>
    private static AttentionOperand Packed(Operands operands, int salt) =>
        AttentionOperand.Packed(operands.Matrix(Length, Heads * HeadDim, 1f, salt).Data, Length, Heads, HeadDim);
}
