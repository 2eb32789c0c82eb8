namespace EmbedEngine.Kernels;

/// <summary>
/// Negative sampling with negatives shared across a window (Ji et al. 2016, "Parallelizing Word2Vec in
/// shared and distributed memory"): the m input rows C of one window and the k output rows O (the true word
/// first, then its negatives) meet in small matrix products,
/// S = C·Oᵀ; G = (L − σ(S))·lr; C += G·O; O += Gᵀ·C,
/// where both updates use the values from before the step. Dense products replace m·k dependent dot/axpy
/// pairs, which is what makes the path fast.
/// </summary>
public static unsafe class BatchedSgnsKernel
{
    /// <summary>Floats of scratch the update needs: the score matrix and both deltas.</summary>
    public static int ScratchLength(int inputCount, int outputCount, int dim) =>
        inputCount * outputCount + (inputCount + outputCount) * dim;

    /// <summary>Runs the update with the variant chosen at start-up; returns the summed logistic loss.</summary>
    /// <param name="input">C's matrix (syn0).</param>
    /// <param name="inputStride">Floats between its rows.</param>
    /// <param name="inputRows">The window's context words.</param>
    /// <param name="output">O's matrix (syn1neg).</param>
    /// <param name="outputStride">Floats between its rows.</param>
    /// <param name="outputRows">The true word, then the shared negatives (label 1, then 0s).</param>
    /// <param name="dim">Used floats per row.</param>
    /// <param name="learningRate">lr.</param>
    /// <param name="scratch">At least <see cref="ScratchLength"/> floats.</param>
    /// <param name="exactSigmoid">Exact σ instead of word2vec's table.</param>
    public static float Update(float* input, nint inputStride, ReadOnlySpan<int> inputRows,
        float* output, nint outputStride, ReadOnlySpan<int> outputRows, int dim, float learningRate,
        Span<float> scratch, bool exactSigmoid)
        => Scalar(input, inputStride, inputRows, output, outputStride, outputRows, dim, learningRate, scratch, exactSigmoid);

    /// <summary>Reference.</summary>
    public static float Scalar(float* input, nint inputStride, ReadOnlySpan<int> inputRows,
        float* output, nint outputStride, ReadOnlySpan<int> outputRows, int dim, float learningRate,
        Span<float> scratch, bool exactSigmoid)
    {
        int m = inputRows.Length, k = outputRows.Length;
        if (scratch.Length < ScratchLength(m, k, dim))
            throw new ArgumentException($"Scratch holds {scratch.Length} floats; {ScratchLength(m, k, dim)} needed.");
        Span<float> g = scratch[..(m * k)];
        Span<float> inputDelta = scratch.Slice(m * k, m * dim);
        Span<float> outputDelta = scratch.Slice(m * k + m * dim, k * dim);
        float loss = 0f;
        for (int i = 0; i < m; i++)
        {
            float* c = input + inputRows[i] * inputStride;
            for (int j = 0; j < k; j++)
            {
                float* o = output + outputRows[j] * outputStride;
                float s = 0f;
                for (int d = 0; d < dim; d++) s += c[d] * o[d];
                float label = j == 0 ? 1f : 0f;
                loss += Sigmoid.Loss(s, label, exactSigmoid);
                g[i * k + j] = Sigmoid.Residual(s, label, exactSigmoid) * learningRate;
            }
        }
        inputDelta.Clear();
        outputDelta.Clear();
        for (int i = 0; i < m; i++)
        {
            float* c = input + inputRows[i] * inputStride;
            for (int j = 0; j < k; j++)
            {
                float* o = output + outputRows[j] * outputStride;
                float gij = g[i * k + j];
                for (int d = 0; d < dim; d++)
                {
                    inputDelta[i * dim + d] += gij * o[d];
                    outputDelta[j * dim + d] += gij * c[d];
                }
            }
        }
        for (int i = 0; i < m; i++)
        {
            float* c = input + inputRows[i] * inputStride;
            for (int d = 0; d < dim; d++) c[d] += inputDelta[i * dim + d];
        }
        for (int j = 0; j < k; j++)
        {
            float* o = output + outputRows[j] * outputStride;
            for (int d = 0; d < dim; d++) o[d] += outputDelta[j * dim + d];
        }
        return loss;
    }
}
