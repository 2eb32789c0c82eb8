using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

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
    /// <summary>Windows with at most this many rows (inputs plus outputs) keep their row addresses on the stack.</summary>
    private const int MaxStackRows = 256;

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
    /// <param name="sigmoid">How σ is taken, and whether saturated scores update.</param>
    public static float Update(float* input, nint inputStride, ReadOnlySpan<int> inputRows,
        float* output, nint outputStride, ReadOnlySpan<int> outputRows, int dim, float learningRate,
        Span<float> scratch, SigmoidMode sigmoid)
        => IsaDispatch.Active switch
        {
            Isa.Avx512 => Avx512(input, inputStride, inputRows, output, outputStride, outputRows, dim, learningRate, scratch, sigmoid),
            Isa.Avx2 => Avx2(input, inputStride, inputRows, output, outputStride, outputRows, dim, learningRate, scratch, sigmoid),
            _ => Scalar(input, inputStride, inputRows, output, outputStride, outputRows, dim, learningRate, scratch, sigmoid),
        };

    /// <summary>Reference.</summary>
    public static float Scalar(float* input, nint inputStride, ReadOnlySpan<int> inputRows,
        float* output, nint outputStride, ReadOnlySpan<int> outputRows, int dim, float learningRate,
        Span<float> scratch, SigmoidMode sigmoid)
    {
        int m = inputRows.Length, k = outputRows.Length;
        CheckScratch(m, k, dim, scratch);
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
                loss += Sigmoid.Loss(s, label, sigmoid);
                g[i * k + j] = Sigmoid.Residual(s, label, sigmoid) * learningRate;
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

    /// <summary>
    /// Vector256. Pass 1 computes S four outputs at a time (one load of an input chunk feeds four FMA chains);
    /// pass 2 walks the columns once: for each chunk it forms both deltas of every row from the old values,
    /// then applies them, so each chunk of C and O is read from memory once and stays in L1 in between.
    /// </summary>
    public static float Avx2(float* input, nint inputStride, ReadOnlySpan<int> inputRows,
        float* output, nint outputStride, ReadOnlySpan<int> outputRows, int dim, float learningRate,
        Span<float> scratch, SigmoidMode sigmoid)
        => Vectorized<Simd256, Vector256<float>>(input, inputStride, inputRows, output, outputStride, outputRows, dim,
            learningRate, scratch, sigmoid);

    /// <summary>Vector512; as <see cref="Avx2"/>.</summary>
    public static float Avx512(float* input, nint inputStride, ReadOnlySpan<int> inputRows,
        float* output, nint outputStride, ReadOnlySpan<int> outputRows, int dim, float learningRate,
        Span<float> scratch, SigmoidMode sigmoid)
        => Vectorized<Simd512, Vector512<float>>(input, inputStride, inputRows, output, outputStride, outputRows, dim,
            learningRate, scratch, sigmoid);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Vectorized<TSimd, TVec>(float* input, nint inputStride, ReadOnlySpan<int> inputRows,
        float* output, nint outputStride, ReadOnlySpan<int> outputRows, int dim, float learningRate,
        Span<float> scratch, SigmoidMode sigmoid)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        int m = inputRows.Length, k = outputRows.Length;
        CheckScratch(m, k, dim, scratch);
        // Row addresses once per call: the column walk then loads one pointer per row instead of an index and a multiply.
        Span<nint> rowAddresses = m + k <= MaxStackRows ? stackalloc nint[m + k] : new nint[m + k];
        for (int i = 0; i < m; i++) rowAddresses[i] = (nint)(input + inputRows[i] * inputStride);
        for (int j = 0; j < k; j++) rowAddresses[m + j] = (nint)(output + outputRows[j] * outputStride);
        float loss = 0f;
        fixed (nint* addresses = rowAddresses)
        fixed (float* g = scratch)
        {
            float** c = (float**)addresses, o = c + m;
            for (int i = 0; i < m; i++)
            {
                float* gi = g + i * k;
                int j = 0;
                for (; j <= k - 4; j += 4)
                {
                    SimdLoop<TSimd, TVec>.Dot4(c[i], o[j], o[j + 1], o[j + 2], o[j + 3], dim,
                        out float s0, out float s1, out float s2, out float s3);
                    loss += Score(s0, j, learningRate, sigmoid, gi) + Score(s1, j + 1, learningRate, sigmoid, gi)
                        + Score(s2, j + 2, learningRate, sigmoid, gi) + Score(s3, j + 3, learningRate, sigmoid, gi);
                }
                for (; j < k; j++)
                    loss += Score(SimdLoop<TSimd, TVec>.Dot(c[i], o[j], dim), j, learningRate, sigmoid, gi);
            }
            // A chunk's deltas sit in scratch at this spacing; it never exceeds dim, so they fit in (m + k)·dim floats.
            nint spacing = Math.Min(TSimd.Count, dim);
            SimdLoop<TSimd, TVec>.Columns(dim, new DeltaStep<TSimd, TVec>(c, m, o, k, g, g + m * k, spacing));
        }
        return loss;
    }

    /// <summary>Stores g = (label − σ(s))·lr for output <paramref name="j"/> and returns the loss term.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Score(float s, int j, float learningRate, SigmoidMode sigmoid, float* gi)
    {
        float label = j == 0 ? 1f : 0f;
        gi[j] = Sigmoid.Residual(s, label, sigmoid) * learningRate;
        return Sigmoid.Loss(s, label, sigmoid);
    }

    /// <summary>
    /// One column chunk of C += G·O and O += Gᵀ·C, register-blocked as in pWord2Vec: four output chunks and their
    /// four delta accumulators stay in registers while the loop runs over the inputs, so each input chunk is loaded
    /// once per block and feeds eight FMAs. Both deltas are complete (from the old values) before either is applied,
    /// so rows listed twice get exactly the reference's sum of updates.
    /// </summary>
    private readonly struct DeltaStep<TSimd, TVec>(float** c, int m, float** o, int k, float* g, float* deltas, nint spacing)
        : IColumnStep<TVec>
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
        {
            float* inputDelta = deltas, outputDelta = deltas + m * spacing;
            int j = 0;
            for (; j <= k - 4; j += 4)
            {
                TVec o0 = lanes.Load(o[j] + column), o1 = lanes.Load(o[j + 1] + column);
                TVec o2 = lanes.Load(o[j + 2] + column), o3 = lanes.Load(o[j + 3] + column);
                TVec d0 = TSimd.Zero, d1 = TSimd.Zero, d2 = TSimd.Zero, d3 = TSimd.Zero;
                float* gi = g + j;
                for (int i = 0; i < m; i++, gi += k)
                {
                    TVec ci = lanes.Load(c[i] + column);
                    TVec g0 = TSimd.Create(gi[0]), g1 = TSimd.Create(gi[1]), g2 = TSimd.Create(gi[2]), g3 = TSimd.Create(gi[3]);
                    d0 = TSimd.MultiplyAdd(g0, ci, d0);
                    d1 = TSimd.MultiplyAdd(g1, ci, d1);
                    d2 = TSimd.MultiplyAdd(g2, ci, d2);
                    d3 = TSimd.MultiplyAdd(g3, ci, d3);
                    TVec part = TSimd.MultiplyAdd(g3, o3, TSimd.MultiplyAdd(g2, o2, TSimd.MultiplyAdd(g1, o1, TSimd.Multiply(g0, o0))));
                    AddDelta(inputDelta + i * spacing, part, first: j == 0, lanes);
                }
                StoreDelta(outputDelta + j * spacing, d0, lanes);
                StoreDelta(outputDelta + (j + 1) * spacing, d1, lanes);
                StoreDelta(outputDelta + (j + 2) * spacing, d2, lanes);
                StoreDelta(outputDelta + (j + 3) * spacing, d3, lanes);
            }
            for (; j < k; j++)
            {
                TVec oj = lanes.Load(o[j] + column), d = TSimd.Zero;
                float* gij = g + j;
                for (int i = 0; i < m; i++, gij += k)
                {
                    TVec gv = TSimd.Create(*gij);
                    d = TSimd.MultiplyAdd(gv, lanes.Load(c[i] + column), d);
                    AddDelta(inputDelta + i * spacing, TSimd.Multiply(gv, oj), first: j == 0, lanes);
                }
                StoreDelta(outputDelta + j * spacing, d, lanes);
            }
            for (int i = 0; i < m; i++)
            {
                float* row = c[i] + column;
                lanes.Store(row, TSimd.Add(lanes.Load(row), LoadDelta(inputDelta + i * spacing, lanes)));
            }
            for (j = 0; j < k; j++)
            {
                float* row = o[j] + column;
                lanes.Store(row, TSimd.Add(lanes.Load(row), LoadDelta(outputDelta + j * spacing, lanes)));
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void AddDelta<TLanes>(float* slot, TVec part, bool first, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
            => StoreDelta(slot, first ? part : TSimd.Add(LoadDelta(slot, lanes), part), lanes);

        // A delta slot is a whole vector wide unless dim is shorter than one vector, where the row's mask keeps it in
        // bounds. Whole-vector scratch traffic matters because the slot is reloaded right away, and a masked store
        // cannot forward to the load that follows it.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void StoreDelta<TLanes>(float* slot, TVec value, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
        {
            if (spacing == TSimd.Count) TSimd.Store(slot, value);
            else lanes.Store(slot, value);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private TVec LoadDelta<TLanes>(float* slot, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
            => spacing == TSimd.Count ? TSimd.Load(slot) : lanes.Load(slot);
    }

    private static void CheckScratch(int m, int k, int dim, Span<float> scratch)
    {
        if (scratch.Length < ScratchLength(m, k, dim)) KernelErrors.ScratchTooSmall(scratch.Length, ScratchLength(m, k, dim));
    }
}
