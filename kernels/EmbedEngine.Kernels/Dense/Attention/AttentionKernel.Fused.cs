using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Dense.Attention;

public static unsafe partial class AttentionKernel
{
    /// <summary>Vector256: the fused tiled forward pass (see <see cref="AttentionForward{TSimd, TVec}"/>).</summary>
    public static void ForwardAvx2(in AttentionShape shape, AttentionOperand q, AttentionOperand k, AttentionOperand v,
        AttentionOperand output, float* logSumExp, ReadOnlySpan<int> keyLengths, int threads) =>
        Fused(shape, q, k, v, output, default, logSumExp, keyLengths, default, default, default, threads,
            &AttentionForward<Simd256, Vector256<float>>.Head);

    /// <summary>Vector512: the fused tiled forward pass.</summary>
    public static void ForwardAvx512(in AttentionShape shape, AttentionOperand q, AttentionOperand k, AttentionOperand v,
        AttentionOperand output, float* logSumExp, ReadOnlySpan<int> keyLengths, int threads) =>
        Fused(shape, q, k, v, output, default, logSumExp, keyLengths, default, default, default, threads,
            &AttentionForward<Simd512, Vector512<float>>.Head);

    /// <summary>Vector256: the fused tiled backward pass (see <see cref="AttentionBackward{TSimd, TVec}"/>).</summary>
    public static void BackwardAvx2(in AttentionShape shape, AttentionOperand q, AttentionOperand k, AttentionOperand v,
        AttentionOperand output, AttentionOperand dOutput, float* logSumExp, ReadOnlySpan<int> keyLengths,
        AttentionOperand dq, AttentionOperand dk, AttentionOperand dv, int threads) =>
        Fused(shape, q, k, v, output, dOutput, logSumExp, keyLengths, dq, dk, dv, threads,
            &AttentionBackward<Simd256, Vector256<float>>.Head);

    /// <summary>Vector512: the fused tiled backward pass.</summary>
    public static void BackwardAvx512(in AttentionShape shape, AttentionOperand q, AttentionOperand k, AttentionOperand v,
        AttentionOperand output, AttentionOperand dOutput, float* logSumExp, ReadOnlySpan<int> keyLengths,
        AttentionOperand dq, AttentionOperand dk, AttentionOperand dv, int threads) =>
        Fused(shape, q, k, v, output, dOutput, logSumExp, keyLengths, dq, dk, dv, threads,
            &AttentionBackward<Simd512, Vector512<float>>.Head);

    private static void Fused(in AttentionShape shape, AttentionOperand q, AttentionOperand k, AttentionOperand v,
        AttentionOperand output, AttentionOperand dOutput, float* logSumExp, ReadOnlySpan<int> keyLengths,
        AttentionOperand dq, AttentionOperand dk, AttentionOperand dv, int threads, delegate*<in AttentionJob, int, int, void> head)
    {
        CheckKeyLengths(shape, keyLengths);
        fixed (int* lengths = keyLengths)
        {
            var job = new AttentionJob
            {
                Shape = shape, Q = q, K = k, V = v, Output = output, DOutput = dOutput, DQ = dq, DK = dk, DV = dv,
                LogSumExp = logSumExp, KeyLengths = keyLengths.IsEmpty ? null : lengths,
            };
            AttentionJob.Run(ref job, threads, head);
        }
    }
}
