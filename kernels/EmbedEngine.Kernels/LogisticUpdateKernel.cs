namespace EmbedEngine.Kernels;

/// <summary>
/// The fused inner step of word2vec's negative sampling and hierarchical softmax: for each target row t with
/// label l (1 for the true word or a 0-code node, 0 for a negative), in order,
/// f = h·W[t]; g = (l − σ(f))·lr; grad += g·W[t]; W[t] += g·h.
/// Rows are updated one after another, exactly like word2vec.c, so a row listed twice sees its first update.
/// </summary>
public static unsafe class LogisticUpdateKernel
{
    /// <summary>Runs the update with the variant chosen at start-up; returns the summed logistic loss.</summary>
    /// <param name="hidden">h: the input vector (a word's row, or the CBOW average).</param>
    /// <param name="output">W: the output matrix (syn1neg or syn1), rows of <c>hidden.Length</c> used floats.</param>
    /// <param name="outputStride">Floats between consecutive rows of W.</param>
    /// <param name="targets">Row indices into W.</param>
    /// <param name="labels">One label per target.</param>
    /// <param name="learningRate">lr.</param>
    /// <param name="hiddenGrad">Accumulates Σ g·W[t]; the caller applies it to the input rows afterwards.</param>
    /// <param name="exactSigmoid">Exact σ instead of word2vec's table.</param>
    public static float Update(ReadOnlySpan<float> hidden, float* output, nint outputStride,
        ReadOnlySpan<int> targets, ReadOnlySpan<float> labels, float learningRate, Span<float> hiddenGrad, bool exactSigmoid)
        => Scalar(hidden, output, outputStride, targets, labels, learningRate, hiddenGrad, exactSigmoid);

    /// <summary>Reference.</summary>
    public static float Scalar(ReadOnlySpan<float> hidden, float* output, nint outputStride,
        ReadOnlySpan<int> targets, ReadOnlySpan<float> labels, float learningRate, Span<float> hiddenGrad, bool exactSigmoid)
    {
        Check(hidden, targets, labels, hiddenGrad);
        int dim = hidden.Length;
        float loss = 0f;
        for (int j = 0; j < targets.Length; j++)
        {
            float* row = output + targets[j] * outputStride;
            float f = 0f;
            for (int c = 0; c < dim; c++) f += hidden[c] * row[c];
            loss += Sigmoid.Loss(f, labels[j], exactSigmoid);
            float g = Sigmoid.Residual(f, labels[j], exactSigmoid) * learningRate;
            for (int c = 0; c < dim; c++) hiddenGrad[c] += g * row[c];
            for (int c = 0; c < dim; c++) row[c] += g * hidden[c];
        }
        return loss;
    }

    private static void Check(ReadOnlySpan<float> hidden, ReadOnlySpan<int> targets, ReadOnlySpan<float> labels, Span<float> hiddenGrad)
    {
        if (targets.Length != labels.Length)
            throw new ArgumentException($"{targets.Length} targets but {labels.Length} labels.");
        if (hiddenGrad.Length != hidden.Length)
            throw new ArgumentException($"Gradient length {hiddenGrad.Length} differs from hidden length {hidden.Length}.");
    }
}
