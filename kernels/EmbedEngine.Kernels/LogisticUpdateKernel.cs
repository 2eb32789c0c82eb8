using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels;

/// <summary>
/// The fused inner step of word2vec's negative sampling and hierarchical softmax: for each target row t with
/// label l (1 for the true word or a 0-code node, 0 for a negative), in order,
/// f = h·W[t]; g = (l − σ(f))·lr; grad += g·W[t]; W[t] += g·h.
/// Rows are updated one after another, exactly like word2vec.c, so a row listed twice sees its first update.
/// </summary>
public static unsafe class LogisticUpdateKernel
{
    /// <summary>Up to this many targets are batched (row addresses and residuals live on the stack).</summary>
    private const int MaxBatchedTargets = 64;

    /// <summary>Runs the update with the variant chosen at start-up; returns the summed logistic loss.</summary>
    /// <param name="hidden">h: the input vector (a word's row, or the CBOW average).</param>
    /// <param name="output">W: the output matrix (syn1neg or syn1), rows of <c>hidden.Length</c> used floats.</param>
    /// <param name="targets">Row indices into W.</param>
    /// <param name="labels">One label per target.</param>
    /// <param name="learningRate">lr.</param>
    /// <param name="hiddenGrad">Accumulates Σ g·W[t]; the caller applies it to the input rows afterwards.</param>
    /// <param name="sigmoid">How σ is taken, and whether saturated scores update.</param>
    public static float Update(ReadOnlySpan<float> hidden, OutputRows output,
        ReadOnlySpan<int> targets, ReadOnlySpan<float> labels, float learningRate, Span<float> hiddenGrad, SigmoidMode sigmoid)
        => IsaDispatch.Active switch
        {
            Isa.Avx512 => Avx512(hidden, output, targets, labels, learningRate, hiddenGrad, sigmoid),
            Isa.Avx2 => Avx2(hidden, output, targets, labels, learningRate, hiddenGrad, sigmoid),
            _ => Scalar(hidden, output, targets, labels, learningRate, hiddenGrad, sigmoid),
        };

    /// <summary>Reference.</summary>
    public static float Scalar(ReadOnlySpan<float> hidden, OutputRows output,
        ReadOnlySpan<int> targets, ReadOnlySpan<float> labels, float learningRate, Span<float> hiddenGrad, SigmoidMode sigmoid)
    {
        Check(hidden, targets, labels, hiddenGrad);
        int dim = hidden.Length;
        float loss = 0f;
        for (int j = 0; j < targets.Length; j++)
        {
            float* row = output.Row(targets[j]);
            float f = 0f;
            for (int c = 0; c < dim; c++) f += hidden[c] * row[c];
            loss += Sigmoid.Loss(f, labels[j], sigmoid);
            float g = Sigmoid.Residual(f, labels[j], sigmoid) * learningRate;
            for (int c = 0; c < dim; c++) hiddenGrad[c] += g * row[c];
            for (int c = 0; c < dim; c++) row[c] += g * hidden[c];
        }
        return loss;
    }

    /// <summary>
    /// Vector256. When the targets are distinct (always for hierarchical softmax's path, almost always for
    /// negatives) no update changes another target's score, so all scores come first, four rows per pass over h,
    /// and then one pass over the columns applies every update while the chunk of grad stays in a register. Repeated
    /// targets take the sequential path: a dot, then both axpys fused into one pass over the row, per target.
    /// </summary>
    public static float Avx2(ReadOnlySpan<float> hidden, OutputRows output,
        ReadOnlySpan<int> targets, ReadOnlySpan<float> labels, float learningRate, Span<float> hiddenGrad, SigmoidMode sigmoid)
        => Vectorized<Simd256, Vector256<float>>(hidden, output, targets, labels, learningRate, hiddenGrad, sigmoid);

    /// <summary>Vector512; as <see cref="Avx2"/>.</summary>
    public static float Avx512(ReadOnlySpan<float> hidden, OutputRows output,
        ReadOnlySpan<int> targets, ReadOnlySpan<float> labels, float learningRate, Span<float> hiddenGrad, SigmoidMode sigmoid)
        => Vectorized<Simd512, Vector512<float>>(hidden, output, targets, labels, learningRate, hiddenGrad, sigmoid);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Vectorized<TSimd, TVec>(ReadOnlySpan<float> hidden, OutputRows output,
        ReadOnlySpan<int> targets, ReadOnlySpan<float> labels, float learningRate, Span<float> hiddenGrad, SigmoidMode sigmoid)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        Check(hidden, targets, labels, hiddenGrad);
        int dim = hidden.Length, count = targets.Length;
        float loss = 0f;
        fixed (float* h = hidden, grad = hiddenGrad)
        {
            if (count <= MaxBatchedTargets && AllDistinct(targets))
            {
                float** rows = stackalloc float*[count];
                float* g = stackalloc float[count];
                for (int j = 0; j < count; j++) rows[j] = output.Row(targets[j]);
                int t = 0;
                for (; t <= count - 4; t += 4)
                {
                    SimdLoop<TSimd, TVec>.Dot4(h, rows[t], rows[t + 1], rows[t + 2], rows[t + 3], dim,
                        out g[t], out g[t + 1], out g[t + 2], out g[t + 3]);
                }
                for (; t < count; t++) g[t] = SimdLoop<TSimd, TVec>.Dot(h, rows[t], dim);
                for (int j = 0; j < count; j++)
                {
                    loss += Sigmoid.Loss(g[j], labels[j], sigmoid);
                    g[j] = Sigmoid.Residual(g[j], labels[j], sigmoid) * learningRate;
                }
                SimdLoop<TSimd, TVec>.Columns(dim, new BatchedStep<TSimd, TVec>(h, grad, rows, g, count));
                return loss;
            }
            for (int j = 0; j < count; j++)
            {
                float* row = output.Row(targets[j]);
                float f = SimdLoop<TSimd, TVec>.Dot(h, row, dim);
                loss += Sigmoid.Loss(f, labels[j], sigmoid);
                float g = Sigmoid.Residual(f, labels[j], sigmoid) * learningRate;
                SimdLoop<TSimd, TVec>.Columns(dim, new Step<TSimd, TVec>(TSimd.Create(g), h, row, grad));
            }
        }
        return loss;
    }

    /// <summary>Whether no target repeats: then every score can be taken before any row changes.</summary>
    private static bool AllDistinct(ReadOnlySpan<int> targets)
    {
        for (int j = 1; j < targets.Length; j++)
            if (targets[..j].Contains(targets[j])) return false;
        return true;
    }

    /// <summary>grad += g·row and row += g·h in one pass, both from the row's value before the step.</summary>
    private readonly struct Step<TSimd, TVec>(TVec g, float* hidden, float* row, float* grad) : IColumnStep<TVec>
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
        {
            TVec w = lanes.Load(row + column);
            lanes.Store(grad + column, TSimd.MultiplyAdd(g, w, lanes.Load(grad + column)));
            lanes.Store(row + column, TSimd.MultiplyAdd(g, lanes.Load(hidden + column), w));
        }
    }

    /// <summary>
    /// Every target's update on one chunk of columns: grad's chunk is loaded and stored once for all targets, and
    /// the order of its sum matches the reference's (target by target). Shared with <see cref="SoftmaxUpdateKernel"/>.
    /// </summary>
    internal readonly struct BatchedStep<TSimd, TVec>(float* hidden, float* grad, float** rows, float* g, int count)
        : IColumnStep<TVec>
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
        {
            TVec h = lanes.Load(hidden + column), sum = lanes.Load(grad + column);
            for (int j = 0; j < count; j++)
            {
                TVec gj = TSimd.Create(g[j]);
                float* row = rows[j] + column;
                TVec w = lanes.Load(row);
                sum = TSimd.MultiplyAdd(gj, w, sum);
                lanes.Store(row, TSimd.MultiplyAdd(gj, h, w));
            }
            lanes.Store(grad + column, sum);
        }
    }

    private static void Check(ReadOnlySpan<float> hidden, ReadOnlySpan<int> targets, ReadOnlySpan<float> labels, Span<float> hiddenGrad)
    {
        if (targets.Length != labels.Length) KernelErrors.LabelsDiffer(targets.Length, labels.Length);
        if (hiddenGrad.Length != hidden.Length) KernelErrors.GradientLength(hiddenGrad.Length, hidden.Length);
    }
}
