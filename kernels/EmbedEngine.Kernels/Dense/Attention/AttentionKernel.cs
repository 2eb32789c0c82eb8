namespace EmbedEngine.Kernels.Dense.Attention;

/// <summary>
/// Scaled-dot-product attention, O = softmax(s·Q·Kᵀ + mask)·V per sequence and head, and its backward pass. The
/// mask hides keys past a sequence's valid length (key padding) and, for a causal call, keys after the query's
/// position (<see cref="AttentionShape.VisibleKeys"/>). The forward pass also writes each query row's log-sum-exp
/// of its scaled scores, [batch, heads, queries] contiguous, which is all the backward pass needs besides Q, K, V, O
/// and dO. A fully masked row has output 0, log-sum-exp −∞ and no gradient.
/// </summary>
public static unsafe partial class AttentionKernel
{
    /// <summary>
    /// O and the row log-sum-exp, split over up to <paramref name="threads"/> threads (0: one per core) without changing
    /// any result. <paramref name="keyLengths"/> holds each sequence's valid key count, or is empty.
    /// </summary>
    public static void Forward(in AttentionShape shape, AttentionOperand q, AttentionOperand k, AttentionOperand v,
        AttentionOperand output, float* logSumExp, ReadOnlySpan<int> keyLengths, int threads)
    {
        switch (IsaDispatch.Active)
        {
            case Isa.Avx512: ForwardAvx512(shape, q, k, v, output, logSumExp, keyLengths, threads); break;
            case Isa.Avx2: ForwardAvx2(shape, q, k, v, output, logSumExp, keyLengths, threads); break;
            default: ForwardScalar(shape, q, k, v, output, logSumExp, keyLengths); break;
        }
    }

    /// <summary>
    /// dQ, dK and dV (overwritten) from dO, with the output and log-sum-exp that <see cref="Forward"/> wrote, split over
    /// up to <paramref name="threads"/> threads without changing any result.
    /// </summary>
    public static void Backward(in AttentionShape shape, AttentionOperand q, AttentionOperand k, AttentionOperand v,
        AttentionOperand output, AttentionOperand dOutput, float* logSumExp, ReadOnlySpan<int> keyLengths,
        AttentionOperand dq, AttentionOperand dk, AttentionOperand dv, int threads)
    {
        switch (IsaDispatch.Active)
        {
            case Isa.Avx512: BackwardAvx512(shape, q, k, v, output, dOutput, logSumExp, keyLengths, dq, dk, dv, threads); break;
            case Isa.Avx2: BackwardAvx2(shape, q, k, v, output, dOutput, logSumExp, keyLengths, dq, dk, dv, threads); break;
            default: BackwardScalar(shape, q, k, v, dOutput, keyLengths, dq, dk, dv); break;
        }
    }

    /// <summary>
    /// Reference forward pass: the plain materialized softmax(s·QKᵀ)·V, one query row at a time.
    /// <paramref name="keyLengths"/> holds each sequence's valid key count, or is empty when every key is valid.
    /// </summary>
    public static void ForwardScalar(in AttentionShape shape, AttentionOperand q, AttentionOperand k, AttentionOperand v,
        AttentionOperand output, float* logSumExp, ReadOnlySpan<int> keyLengths)
    {
        CheckKeyLengths(shape, keyLengths);
        int d = shape.HeadDim;
        var scores = new float[shape.KeyLength];
        for (int b = 0; b < shape.Batch; b++)
        for (int h = 0; h < shape.Heads; h++)
        for (int i = 0; i < shape.QueryLength; i++)
        {
            int visible = shape.VisibleKeys(i, keyLengths.IsEmpty ? shape.KeyLength : keyLengths[b]);
            float* oi = output.At(b, i, h, d);
            (float max, float sum) = ExpScores(shape, q, k, b, h, i, visible, scores);
            for (int c = 0; c < d; c++) oi[c] = 0f;
            for (int j = 0; j < visible; j++)
            {
                float* vj = v.At(b, j, h, d);
                float p = scores[j] / sum;
                for (int c = 0; c < d; c++) oi[c] += p * vj[c];
            }
            logSumExp[((long)b * shape.Heads + h) * shape.QueryLength + i] = visible == 0 ? float.NegativeInfinity : max + MathF.Log(sum);
        }
    }

    /// <summary>
    /// Reference backward pass, the textbook gradient of the materialized softmax: with P the attention weights
    /// (recomputed from Q and K), dV = Pᵀ·dO, dP = dO·Vᵀ, dS = P ⊙ (dP − rowsum(P ⊙ dP)), dQ = s·dS·K, dK = s·dSᵀ·Q.
    /// dQ, dK and dV are overwritten; O and the log-sum-exp are not needed.
    /// </summary>
    public static void BackwardScalar(in AttentionShape shape, AttentionOperand q, AttentionOperand k, AttentionOperand v,
        AttentionOperand dOutput, ReadOnlySpan<int> keyLengths, AttentionOperand dq, AttentionOperand dk, AttentionOperand dv)
    {
        CheckKeyLengths(shape, keyLengths);
        int d = shape.HeadDim;
        var p = new float[shape.KeyLength];
        var dp = new float[shape.KeyLength];
        for (int b = 0; b < shape.Batch; b++)
        for (int h = 0; h < shape.Heads; h++)
        {
            for (int j = 0; j < shape.KeyLength; j++)
                for (int c = 0; c < d; c++) dk.At(b, j, h, d)[c] = dv.At(b, j, h, d)[c] = 0f;
            for (int i = 0; i < shape.QueryLength; i++)
            {
                int visible = shape.VisibleKeys(i, keyLengths.IsEmpty ? shape.KeyLength : keyLengths[b]);
                float* qi = q.At(b, i, h, d), doi = dOutput.At(b, i, h, d), dqi = dq.At(b, i, h, d);
                float sum = ExpScores(shape, q, k, b, h, i, visible, p).Sum;
                float rowDot = 0f;
                for (int j = 0; j < visible; j++)
                {
                    p[j] /= sum;
                    float* vj = v.At(b, j, h, d);
                    float dot = 0f;
                    for (int c = 0; c < d; c++) dot += doi[c] * vj[c];
                    dp[j] = dot;
                    rowDot += p[j] * dot;
                }
                for (int c = 0; c < d; c++) dqi[c] = 0f;
                for (int j = 0; j < visible; j++)
                {
                    float ds = p[j] * (dp[j] - rowDot) * shape.Scale;
                    float* kj = k.At(b, j, h, d), dkj = dk.At(b, j, h, d), dvj = dv.At(b, j, h, d);
                    for (int c = 0; c < d; c++)
                    {
                        dqi[c] += ds * kj[c];
                        dkj[c] += ds * qi[c];
                        dvj[c] += p[j] * doi[c];
                    }
                }
            }
        }
    }

    /// <summary>
    /// e^(s·q_i·k_j − max) into <paramref name="weights"/> for the <paramref name="visible"/> keys query i sees, with
    /// the max of the scaled scores and the sum of the exponentials: the attention weights before normalization.
    /// </summary>
    private static (float Max, float Sum) ExpScores(in AttentionShape shape, AttentionOperand q, AttentionOperand k, int b, int h, int i,
        int visible, float[] weights)
    {
        int d = shape.HeadDim;
        float* qi = q.At(b, i, h, d);
        float max = float.NegativeInfinity;
        for (int j = 0; j < visible; j++)
        {
            float* kj = k.At(b, j, h, d);
            float dot = 0f;
            for (int c = 0; c < d; c++) dot += qi[c] * kj[c];
            weights[j] = shape.Scale * dot;
            max = Math.Max(max, weights[j]);
        }
        float sum = 0f;
        for (int j = 0; j < visible; j++) sum += weights[j] = MathF.Exp(weights[j] - max);
        return (max, sum);
    }

    /// <summary>
    /// Checks that <paramref name="keyLengths"/> is empty or holds one count in 0 … KeyLength per sequence; the GPU
    /// kernel cannot check lengths that live on the device, so its callers check them here before uploading them.
    /// </summary>
    /// <exception cref="ArgumentException">There is not one length per sequence.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A length is outside 0 … KeyLength.</exception>
    public static void CheckKeyLengths(in AttentionShape shape, ReadOnlySpan<int> keyLengths)
    {
        if (keyLengths.IsEmpty) return;
        if (keyLengths.Length != shape.Batch)
            throw new ArgumentException($"Attention: {keyLengths.Length} key lengths for {shape.Batch} sequences.", nameof(keyLengths));
        foreach (int length in keyLengths)
            if ((uint)length > (uint)shape.KeyLength)
                throw new ArgumentOutOfRangeException(nameof(keyLengths), $"Attention: a key length of {length} is outside 0 … {shape.KeyLength}.");
    }
}
