using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Dense;

/// <summary>
/// CLIP's symmetric InfoNCE loss over a batch of N image–text pairs, fused with its backward pass. With image rows I
/// (N × d) and text rows T (M = N + H rows: the N captions, then H hard negatives; contiguous, normalized by the
/// caller) and the scale s = min(e^t, maxScale), the logits are L = s·I·Tᵀ (N × M) and the loss is
/// ½[CE(L, diag) + CE(L[:, :N]ᵀ, diag)]: each image must pick its own caption among all M texts, and each caption
/// its own image among the N. SimCSE's hard negatives (H = N: each anchor's contradiction) are the extra columns;
/// CLIP has none. Gradients: with G = (softmax_rows(L) + softmax_columns(L[:, :N]) − 2·Id) / 2N (the column term
/// zero past column N), dI = s·G·T, dT = s·Gᵀ·I and dt = Σ G∘L (0 where the scale is clamped, as PyTorch's clamp gives).
/// The vector variants never hold the N × M logits: they sweep blocks of <see cref="BlockRows"/> image rows, once to
/// collect every row's and column's log-sum-exp and again to form G's block and its two products, so memory is
/// O(M·block) and N = 32,768 fits on one machine.
/// </summary>
public static unsafe class InfoNceKernel
{
    /// <summary>CLIP's cap on the logit scale.</summary>
    public const float ClipMaxScale = 100f;

    /// <summary>Image rows per block of the vector variants: the logit block is this many rows of N.</summary>
    public const int BlockRows = 64;

    /// <summary>
    /// Returns the loss and, unless the three gradient pointers are null, overwrites dI (N × d), dT (M × d) and dt, with the
    /// variant chosen at start-up on up to <paramref name="threads"/> threads (0: one per core). The result depends
    /// on the thread count only through the order of sums.
    /// </summary>
    /// <param name="image">Image embeddings, N rows of d floats.</param>
    /// <param name="text">Text embeddings, N + H rows of d floats; row i &lt; N is image i's caption, the rest hard negatives.</param>
    /// <param name="count">N, the pairs in the batch.</param>
    /// <param name="negatives">H, the hard-negative text rows after the captions (0 for CLIP).</param>
    /// <param name="dimension">d.</param>
    /// <param name="logScale">t: the scale is e^t, capped at <paramref name="maxScale"/>.</param>
    /// <param name="maxScale">The cap (<see cref="ClipMaxScale"/> in CLIP).</param>
    /// <param name="imageGrad">Receives dL/dI, or null.</param>
    /// <param name="textGrad">Receives dL/dT, or null.</param>
    /// <param name="logScaleGrad">Receives dL/dt, or null.</param>
    /// <param name="threads">Threads to use at most.</param>
    public static float Compute(float* image, float* text, int count, int negatives, int dimension, float logScale, float maxScale,
        float* imageGrad, float* textGrad, float* logScaleGrad, int threads = 0) => IsaDispatch.Active switch
        {
            Isa.Avx512 => Avx512(image, text, count, negatives, dimension, logScale, maxScale, imageGrad, textGrad, logScaleGrad, threads),
            Isa.Avx2 => Avx2(image, text, count, negatives, dimension, logScale, maxScale, imageGrad, textGrad, logScaleGrad, threads),
            _ => Scalar(image, text, count, negatives, dimension, logScale, maxScale, imageGrad, textGrad, logScaleGrad),
        };

    /// <summary>Reference: the whole N × M logit matrix, its row and column softmaxes, and plain loops for the products.</summary>
    public static float Scalar(float* image, float* text, int count, int negatives, int dimension, float logScale, float maxScale,
        float* imageGrad, float* textGrad, float* logScaleGrad)
    {
        bool gradients = Check(image, text, count, negatives, dimension, logScale, maxScale, imageGrad, textGrad, logScaleGrad);
        int n = count, m = count + negatives, d = dimension;
        float scale = Scale(logScale, maxScale);
        var logits = new float[(long)n * m];
        for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++)
        {
            float dot = 0f;
            for (int c = 0; c < d; c++) dot += image[(nint)i * d + c] * text[(nint)j * d + c];
            logits[(long)i * m + j] = scale * dot;
        }
        var rowLse = new float[n];
        var columnLse = new float[n];
        for (int i = 0; i < n; i++)
        {
            rowLse[i] = LogSumExp(logits, (long)i * m, 1, m);
            columnLse[i] = LogSumExp(logits, i, m, n);
        }
        double loss = 0;
        for (int i = 0; i < n; i++) loss += rowLse[i] + columnLse[i] - 2.0 * logits[(long)i * m + i];
        if (gradients)
        {
            new Span<float>(imageGrad, n * d).Clear();
            new Span<float>(textGrad, m * d).Clear();
            double logitGradSum = 0;
            for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                float x = logits[(long)i * m + j];
                float columnTerm = j < n ? MathF.Exp(x - columnLse[j]) : 0f;
                float g = (MathF.Exp(x - rowLse[i]) + columnTerm) / (2f * n) - (i == j ? 1f / n : 0f);
                logitGradSum += g * x;
                for (int c = 0; c < d; c++)
                {
                    imageGrad[(nint)i * d + c] += scale * g * text[(nint)j * d + c];
                    textGrad[(nint)j * d + c] += scale * g * image[(nint)i * d + c];
                }
            }
            *logScaleGrad = ScaleIsClamped(logScale, maxScale) ? 0f : (float)logitGradSum;
        }
        return n == 0 ? 0f : (float)(loss / (2.0 * n));
    }

    /// <summary>Vector256: blocked sweeps over the AVX2 GEMM.</summary>
    public static float Avx2(float* image, float* text, int count, int negatives, int dimension, float logScale, float maxScale,
        float* imageGrad, float* textGrad, float* logScaleGrad, int threads = 0) =>
        InfoNceBlocked<Simd256, Vector256<float>>.Compute(image, text, count, negatives, dimension, logScale, maxScale,
            imageGrad, textGrad, logScaleGrad, threads);

    /// <summary>Vector512: blocked sweeps over the AVX-512 GEMM.</summary>
    public static float Avx512(float* image, float* text, int count, int negatives, int dimension, float logScale, float maxScale,
        float* imageGrad, float* textGrad, float* logScaleGrad, int threads = 0) =>
        InfoNceBlocked<Simd512, Vector512<float>>.Compute(image, text, count, negatives, dimension, logScale, maxScale,
            imageGrad, textGrad, logScaleGrad, threads);

    /// <summary>s = min(e^t, cap).</summary>
    public static float Scale(float logScale, float maxScale) => MathF.Min(MathF.Exp(logScale), maxScale);

    /// <summary>Whether the cap holds the scale, so t gets no gradient.</summary>
    public static bool ScaleIsClamped(float logScale, float maxScale) => MathF.Exp(logScale) > maxScale;

    /// <summary>Validates the arguments before anything is written; returns whether gradients are wanted.</summary>
    internal static bool Check(float* image, float* text, int count, int negatives, int dimension, float logScale, float maxScale,
        float* imageGrad, float* textGrad, float* logScaleGrad)
    {
        CheckSizes(count, negatives, dimension, logScale, maxScale);
        if (count > 0 && (image == null || text == null)) throw new ArgumentException("The image and text rows must not be null.");
        bool any = imageGrad != null || textGrad != null || logScaleGrad != null;
        bool all = imageGrad != null && textGrad != null && logScaleGrad != null;
        if (any && !all) throw new ArgumentException("Pass all three gradient pointers (dI, dT, dt) or none.");
        return all;
    }

    /// <summary>Validates the sizes, the log scale and the cap: the checks every variant makes, the GPU twin's included.</summary>
    internal static void CheckSizes(int count, int negatives, int dimension, float logScale, float maxScale)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(negatives);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (count == 0 && negatives > 0) throw new ArgumentException("Hard negatives need at least one pair.");
        if (((long)count + negatives) * dimension > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"{(long)count + negatives} rows of {dimension} floats do not fit in one array.");
        if (!float.IsFinite(logScale)) throw new ArgumentOutOfRangeException(nameof(logScale), logScale, "The log scale must be finite.");
        if (!(maxScale > 0) || !float.IsFinite(maxScale))
            throw new ArgumentOutOfRangeException(nameof(maxScale), maxScale, "The scale cap must be positive and finite.");
    }

    /// <summary>ln Σ e^x over <paramref name="length"/> elements <paramref name="stride"/> apart, from the maximum.</summary>
    private static float LogSumExp(float[] x, long start, int stride, int length)
    {
        float max = float.NegativeInfinity;
        for (int k = 0; k < length; k++) max = MathF.Max(max, x[start + (long)k * stride]);
        double sum = 0;
        for (int k = 0; k < length; k++) sum += MathF.Exp(x[start + (long)k * stride] - max);
        return max + (float)Math.Log(sum);
    }
}
