using EmbedEngine.Kernels.Dense;
using EmbedEngine.Kernels.Gemm;
using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Kernels.Gpu.Dense;
using EmbedEngine.Tensors.Autograd;

namespace EmbedEngine.Tensors;

/// <summary>Matrix products on the SGEMM kernel: plain, batched, and the fused linear layer.</summary>
public static unsafe partial class Ops
{
    /// <summary>
    /// a · b over the last two dimensions: [m, k]·[k, n], or [B, m, k]·[B, k, n] batched, or [..., m, k]·[k, n]
    /// with b shared by every leading index. Transposed views of either input are read in place.
    /// </summary>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        if (a.Rank < 2 || b.Rank < 2 || b.Rank > 3 || (b.Rank == 3 && a.Rank != 3))
            throw new ArgumentException($"MatMul takes [m, k]·[k, n], [B, m, k]·[B, k, n] or [..., m, k]·[k, n]; got {a.Shape}·{b.Shape}.");
        if (a.Shape[-1] != b.Shape[-2])
            throw new ArgumentException($"MatMul: the inner sizes differ, {a.Shape}·{b.Shape}.");
        if (b.Rank == 2 && a.Rank > 2)
        {
            Span<int> sizes = stackalloc int[a.Rank];
            a.Shape.CopyTo(sizes);
            sizes[^1] = b.Shape[1];
            return MatMul(a.Contiguous().Reshape(-1, a.Shape[-1]), b).Reshape(sizes);
        }
        if (a.Rank == 3 && a.Shape[0] != b.Shape[0])
            throw new ArgumentException($"MatMul: the batch sizes differ, {a.Shape}·{b.Shape}.");

        GemmOperand left = GemmOperand.Of(a), right = GemmOperand.Of(b);
        int batch = a.Rank == 3 ? a.Shape[0] : 1, m = a.Shape[-2], k = a.Shape[-1], n = b.Shape[-1];
        Graph graph = Graph.Current;
        Tensor c = graph.NewTensor(a.Rank == 3 ? new Shape(batch, m, n) : new Shape(m, n), zero: false, Devices.Common("MatMul", a, b));
        Gemm(left.Transposed, right.Transposed, m, n, k, left.Tensor, left.LeadingDimension, left.BatchStride,
            right.Tensor, right.LeadingDimension, right.BatchStride, 0f, c, n, (long)m * n, batch);
        if (graph.NeedsGrad(left.Tensor, right.Tensor))
            graph.Record(new TapeEntry { Backward = &MatMulBackward, Output = c, A = left.Tensor, B = right.Tensor });
        return c;
    }

    /// <summary>
    /// The linear layer y = x·Wᵀ + bias for x [..., in], W [out, in] and bias [out] (optional): one GEMM with W
    /// read transposed in place, the bias added as it writes y.
    /// </summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null) => Linear(x, weight, bias, relu: false);

    /// <summary>
    /// max(0, x·Wᵀ + bias): <see cref="Linear(Tensor, Tensor, Tensor?)"/> then <see cref="Relu"/> in one GEMM, the
    /// bias and the ReLU applied as it writes y, so the layer's output is written once and no pre-activation kept.
    /// </summary>
    public static Tensor LinearRelu(Tensor x, Tensor weight, Tensor? bias = null) => Linear(x, weight, bias, relu: true);

    /// <summary>The linear layer, followed by max(0, ·) when <paramref name="relu"/>.</summary>
    internal static Tensor Linear(Tensor x, Tensor weight, Tensor? bias, bool relu)
    {
        if (weight.Rank != 2 || x.Shape[-1] != weight.Shape[1])
            throw new ArgumentException($"Linear: input {x.Shape} does not fit a weight of shape {weight.Shape} ([out, in]).");
        if (bias != null && (bias.Rank != 1 || bias.Shape[0] != weight.Shape[0]))
            throw new ArgumentException($"Linear: the bias has shape {bias.Shape}; expected [{weight.Shape[0]}].");
        if (!weight.IsContiguous || (bias != null && !bias.IsContiguous))
            throw new ArgumentException("Linear: the weight and bias must be contiguous (parameters are).");
        GpuDevice? gpu = Devices.Gpu("Linear", x, weight, bias);
        Tensor input = x.Contiguous();
        int rows = input.Count / input.Shape[-1], inputs = weight.Shape[1], outputs = weight.Shape[0];
        Graph graph = Graph.Current;
        Tensor y = LinearOutput(input, outputs);
        if (gpu != null) LinearOnDevice(gpu, input, weight, bias, relu, y);
        else
            SgemmKernel.Multiply(false, true, rows, outputs, inputs, 1f, input.Data, inputs, weight.Data, inputs, 0f, y.Data, outputs,
                TensorSettings.Threads, new GemmEpilogue(bias != null ? bias.Data : null, relu));
        if (graph.NeedsGrad(input, weight, bias))
            graph.Record(new TapeEntry { Backward = relu ? &LinearReluBackward : &LinearBackward, Output = y, A = input, B = weight, C = bias });
        return y;
    }

    /// <summary>
    /// The linear layer, followed by max(0, ·) when <paramref name="relu"/>, with W already packed for the kernel
    /// (<see cref="SgemmKernel.PackB(bool, int, int, float*, int, EmbedEngine.Kernels.Isa?)"/> of W read transposed): evaluation only, so nothing is recorded.
    /// </summary>
    internal static Tensor Linear(Tensor x, PackedB weight, Tensor? bias, bool relu)
    {
        if (x.Shape[-1] != weight.K) throw new ArgumentException($"Linear: input {x.Shape} does not fit a packed weight of {weight.K} inputs.");
        Tensor input = x.Contiguous();
        int rows = input.Count / weight.K, outputs = weight.N;
        Tensor y = LinearOutput(input, outputs);
        SgemmKernel.MultiplyPacked(false, rows, 1f, input.Data, weight.K, weight, 0f, y.Data, outputs, TensorSettings.Threads,
            new GemmEpilogue(bias != null ? bias.Data : null, relu));
        return y;
    }

    /// <summary>The linear layer's result tensor, [..., outputs], for the product to fill.</summary>
    private static Tensor LinearOutput(Tensor input, int outputs)
    {
        Span<int> sizes = stackalloc int[input.Rank];
        input.Shape.CopyTo(sizes);
        sizes[^1] = outputs;
        return Graph.Current.NewTensor(new Shape(sizes), zero: false, input.Device);
    }

    private static void MatMulBackward(ref TapeEntry entry)
    {
        Tensor a = entry.A!, b = entry.B!, dc = entry.Output.Grad!;
        GemmOperand left = GemmOperand.Of(a), right = GemmOperand.Of(b);
        int batch = a.Rank == 3 ? a.Shape[0] : 1, m = a.Shape[-2], k = a.Shape[-1], n = b.Shape[-1];
        Graph graph = Graph.Current;
        if (a.RequiresGrad)
        {
            // dA = dC · op(B)ᵀ
            Tensor da = graph.GradOf(a);
            Gemm(false, !right.Transposed, m, k, n, dc, n, (long)m * n, right.Tensor, right.LeadingDimension, right.BatchStride,
                1f, da, k, (long)m * k, batch);
        }
        if (b.RequiresGrad)
        {
            // dB = op(A)ᵀ · dC
            Tensor db = graph.GradOf(b);
            Gemm(!left.Transposed, false, k, n, m, left.Tensor, left.LeadingDimension, left.BatchStride, dc, n, (long)m * n,
                1f, db, n, (long)k * n, batch);
        }
    }

    private static void LinearBackward(ref TapeEntry entry) => LinearBackward(ref entry, entry.Output.Grad!);

    /// <summary>The pre-activation's gradient is dy where y &gt; 0 (y = max(0, z) is positive exactly where z is).</summary>
    private static void LinearReluBackward(ref TapeEntry entry)
    {
        Tensor y = entry.Output, dz = Graph.Current.NewTensor(y.Shape, zero: false, y.Device);
        if (y.Device.Gpu is GpuDevice gpu) ReluGpu.Backward(gpu, y.DeviceView("Linear"), y.Grad!.DeviceView("Linear"), dz.DeviceView("Linear"));
        else ParallelKernels.Backward(&ReluKernel.Backward, y.Data, y.Grad!.Data, dz.Data, y.Count);
        LinearBackward(ref entry, dz);
    }

    /// <summary>Gradients of x, W and the bias from <paramref name="dy"/>, the gradient of x·Wᵀ + bias.</summary>
    private static void LinearBackward(ref TapeEntry entry, Tensor dy)
    {
        Tensor x = entry.A!, weight = entry.B!;
        int rows = x.Count / x.Shape[-1], inputs = weight.Shape[1], outputs = weight.Shape[0];
        Graph graph = Graph.Current;
        if (x.RequiresGrad)
            Gemm(false, false, rows, inputs, outputs, dy, outputs, 0, weight, inputs, 0, 1f, graph.GradOf(x), inputs, 0, 1);
        if (weight.RequiresGrad)
            Gemm(true, false, outputs, inputs, rows, dy, outputs, 0, x, inputs, 0, 1f, graph.GradOf(weight), inputs, 0, 1);
        if (entry.C is not { RequiresGrad: true } bias) return;
        if (dy.Device.Gpu is GpuDevice gpu) BiasGpu.AddColumnSums(gpu, dy.DeviceView("Linear"), graph.GradOf(bias).DeviceView("Linear"));
        else ReductionKernel.AddColumnSums(dy.AsSpan(), graph.GradOf(bias).AsSpan());
    }

    /// <summary>The linear layer on a GPU: the product, then the bias and the ReLU as passes over y (no fused epilogue there).</summary>
    private static void LinearOnDevice(GpuDevice gpu, Tensor input, Tensor weight, Tensor? bias, bool relu, Tensor y)
    {
        int rows = input.Count / input.Shape[-1], inputs = weight.Shape[1], outputs = weight.Shape[0];
        Gemm(false, true, rows, outputs, inputs, input, inputs, 0, weight, inputs, 0, 0f, y, outputs, 0, 1);
        if (bias != null) BiasGpu.AddToRows(gpu, bias.DeviceView("Linear"), y.DeviceView("Linear"));
        if (relu) ReluGpu.Forward(gpu, y.DeviceView("Linear"), y.DeviceView("Linear"));
    }

    /// <summary>C ← op(A)·op(B) + β·C over a batch of matrices, each operand from its tensor's first element, on the tensors' device.</summary>
    private static void Gemm(bool transposeA, bool transposeB, int m, int n, int k, Tensor at, int lda, long strideA,
        Tensor bt, int ldb, long strideB, float beta, Tensor ct, int ldc, long strideC, int batch)
    {
        if (ct.Device.Gpu is GpuDevice gpu)
        {
            // One product per matrix of the batch: the GPU GEMM takes no batch stride.
            for (int i = 0; i < batch; i++)
                GemmGpu.Multiply(gpu, transposeA, transposeB, m, n, k, 1f, at.DeviceFrom(i * strideA), lda, bt.DeviceFrom(i * strideB), ldb,
                    beta, ct.DeviceFrom(i * strideC), ldc);
            return;
        }
        float* a = at.Data, b = bt.Data, c = ct.Data;
        if (batch == 1) SgemmKernel.Multiply(transposeA, transposeB, m, n, k, 1f, a, lda, b, ldb, beta, c, ldc, TensorSettings.Threads);
        else SgemmKernel.MultiplyBatched(transposeA, transposeB, m, n, k, 1f, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC, batch, TensorSettings.Threads);
    }
}
