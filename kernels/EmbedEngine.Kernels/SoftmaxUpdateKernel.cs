using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels;

/// <summary>
/// The fused step of a softmax output layer (fastText's classifier): p = softmax(W·h) over rows 0..rows-1 of W;
/// then for every row i, with α = lr·([i = target] − p_i), grad += α·W[i] and W[i] += α·h, both from the row as
/// it was before the step. All scores come before any update, so the order of the rows does not matter.
/// </summary>
public static unsafe class SoftmaxUpdateKernel
{
    /// <summary>Keeps the loss of a hopeless prediction finite (fastText's log does the same with 1e-5).</summary>
    public const float MinimumProbability = 1e-5f;

    /// <summary>Rows whose addresses the vectorized variants keep on the stack for one pass over the columns.</summary>
    private const int RowsPerPass = 64;

    /// <summary>Runs the step with the variant chosen at start-up; returns −log p_target.</summary>
    /// <param name="hidden">h: the averaged input vector.</param>
    /// <param name="output">W: one row per label, <c>hidden.Length</c> used floats each.</param>
    /// <param name="outputStride">Floats between consecutive rows of W.</param>
    /// <param name="target">The gold row.</param>
    /// <param name="learningRate">lr.</param>
    /// <param name="hiddenGrad">Accumulates Σ α·W[i]; the caller applies it to the input rows afterwards.</param>
    /// <param name="probabilities">One float per row of W: receives p.</param>
    public static float Update(ReadOnlySpan<float> hidden, float* output, nint outputStride, int target, float learningRate,
        Span<float> hiddenGrad, Span<float> probabilities) => IsaDispatch.Active switch
        {
            Isa.Avx512 => Avx512(hidden, output, outputStride, target, learningRate, hiddenGrad, probabilities),
            Isa.Avx2 => Avx2(hidden, output, outputStride, target, learningRate, hiddenGrad, probabilities),
            _ => Scalar(hidden, output, outputStride, target, learningRate, hiddenGrad, probabilities),
        };

    /// <summary>Reference.</summary>
    public static float Scalar(ReadOnlySpan<float> hidden, float* output, nint outputStride, int target, float learningRate,
        Span<float> hiddenGrad, Span<float> probabilities)
    {
        Check(hidden, target, hiddenGrad, probabilities);
        int dim = hidden.Length;
        for (int i = 0; i < probabilities.Length; i++)
        {
            float* row = output + i * outputStride;
            float f = 0f;
            for (int c = 0; c < dim; c++) f += hidden[c] * row[c];
            probabilities[i] = f;
        }
        Normalize(probabilities);
        for (int i = 0; i < probabilities.Length; i++)
        {
            float* row = output + i * outputStride;
            float alpha = Residual(probabilities, i, target) * learningRate;
            for (int c = 0; c < dim; c++) hiddenGrad[c] += alpha * row[c];
            for (int c = 0; c < dim; c++) row[c] += alpha * hidden[c];
        }
        return Loss(probabilities[target]);
    }

    /// <summary>Vector256: scores four rows per pass over h, then one pass over the columns per block of rows.</summary>
    public static float Avx2(ReadOnlySpan<float> hidden, float* output, nint outputStride, int target, float learningRate,
        Span<float> hiddenGrad, Span<float> probabilities)
        => Vectorized<Simd256, Vector256<float>>(hidden, output, outputStride, target, learningRate, hiddenGrad, probabilities);

    /// <summary>Vector512; as <see cref="Avx2"/>.</summary>
    public static float Avx512(ReadOnlySpan<float> hidden, float* output, nint outputStride, int target, float learningRate,
        Span<float> hiddenGrad, Span<float> probabilities)
        => Vectorized<Simd512, Vector512<float>>(hidden, output, outputStride, target, learningRate, hiddenGrad, probabilities);

    /// <summary>
    /// Turns scores into probabilities in place. Subtracting the largest score first keeps every exp in range
    /// without changing the result. Shared by every variant, so they differ only in the scores and the updates.
    /// </summary>
    public static void Normalize(Span<float> scores)
    {
        float max = float.NegativeInfinity;
        foreach (float score in scores) max = Math.Max(max, score);
        float sum = 0f;
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = MathF.Exp(scores[i] - max);
            sum += scores[i];
        }
        float inverse = 1f / sum;
        for (int i = 0; i < scores.Length; i++) scores[i] *= inverse;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Vectorized<TSimd, TVec>(ReadOnlySpan<float> hidden, float* output, nint outputStride, int target,
        float learningRate, Span<float> hiddenGrad, Span<float> probabilities)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        Check(hidden, target, hiddenGrad, probabilities);
        int dim = hidden.Length, count = probabilities.Length;
        fixed (float* h = hidden, grad = hiddenGrad, p = probabilities)
        {
            int i = 0;
            for (; i <= count - 4; i += 4)
            {
                float* row = output + i * outputStride;
                SimdLoop<TSimd, TVec>.Dot4(h, row, row + outputStride, row + 2 * outputStride, row + 3 * outputStride, dim,
                    out p[i], out p[i + 1], out p[i + 2], out p[i + 3]);
            }
            for (; i < count; i++) p[i] = SimdLoop<TSimd, TVec>.Dot(h, output + i * outputStride, dim);
            Normalize(probabilities);
            float loss = Loss(p[target]);
            float** rows = stackalloc float*[RowsPerPass];
            float* alphas = stackalloc float[RowsPerPass];
            for (int first = 0; first < count; first += RowsPerPass)
            {
                int block = Math.Min(RowsPerPass, count - first);
                for (int j = 0; j < block; j++)
                {
                    rows[j] = output + (first + j) * outputStride;
                    alphas[j] = Residual(probabilities, first + j, target) * learningRate;
                }
                SimdLoop<TSimd, TVec>.Columns(dim, new LogisticUpdateKernel.BatchedStep<TSimd, TVec>(h, grad, rows, alphas, block));
            }
            return loss;
        }
    }

    private static float Residual(ReadOnlySpan<float> probabilities, int row, int target) =>
        (row == target ? 1f : 0f) - probabilities[row];

    private static float Loss(float probability) => -MathF.Log(Math.Max(probability, MinimumProbability));

    private static void Check(ReadOnlySpan<float> hidden, int target, Span<float> hiddenGrad, Span<float> probabilities)
    {
        if (hiddenGrad.Length != hidden.Length) KernelErrors.GradientLength(hiddenGrad.Length, hidden.Length);
        if ((uint)target >= (uint)probabilities.Length)
            throw new ArgumentOutOfRangeException(nameof(target), target, $"The target must be a row below {probabilities.Length}.");
    }
}
