using EmbedEngine.Kernels.Dense.Attention;
using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Kernels.Gpu.Dense;
using EmbedEngine.Tensors.Autograd;
using ILGPU;

namespace EmbedEngine.Tensors;

/// <summary>Multi-head scaled-dot-product attention as one fused operation.</summary>
public static unsafe partial class Ops
{
    /// <summary>
    /// softmax(Q·Kᵀ/√d + mask)·V for every head: q [B, Tq, H·d], k and v [B, Tk, H·d], with head h in features
    /// h·d … h·d + d − 1, as [B, Tq, H·d]. The inputs may be views whose last dimension is contiguous (slices of one
    /// fused Q/K/V product are read in place). A causal query i sees keys up to i + Tk − Tq; sequence b sees only
    /// its first <paramref name="keyLengths"/>[b] keys (null: all), an array that backward reads again, so keep it
    /// unchanged until then. The score matrix is never stored: backward recomputes it from the saved log-sum-exp.
    /// On a GPU the key lengths are checked on the host and uploaded once for both passes.
    /// </summary>
    public static Tensor Attention(Tensor q, Tensor k, Tensor v, int heads, bool causal, int[]? keyLengths = null)
    {
        Device device = Devices.Common("Attention", q, k, v);
        AttentionShape shape = AttentionShapeOf(q, k, v, heads, causal, keyLengths);
        Tensor query = RowStrided(q), key = RowStrided(k), value = RowStrided(v);
        Graph graph = Graph.Current;
        Tensor output = graph.NewTensor(new Shape(shape.Batch, shape.QueryLength, q.Shape[2]), zero: false, device);
        Tensor logSumExp = graph.NewTensor(new Shape(shape.Batch, heads, shape.QueryLength), zero: false, device);
        Tensor? uploadedLengths = null;
        if (device.Gpu is GpuDevice gpu)
        {
            AttentionKernel.CheckKeyLengths(shape, keyLengths);
            if (keyLengths != null) uploadedLengths = Tensor.Upload(device, keyLengths);
            AttentionGpu.Forward(gpu, shape, GpuOperand(query), GpuOperand(key), GpuOperand(value), GpuOperand(output),
                logSumExp.DeviceView("Attention"), LengthsView(uploadedLengths));
        }
        else
            AttentionKernel.Forward(shape, Operand(query), Operand(key), Operand(value), Operand(output), logSumExp.Data, keyLengths,
                TensorSettings.Threads);
        if (graph.NeedsGrad(query, key, value))
            graph.Record(new TapeEntry
            {
                Backward = &AttentionBackward, Output = output, A = query, B = key, C = value, Saved = logSumExp,
                Saved2 = uploadedLengths, Indices = keyLengths, Integer = heads, Integer2 = causal ? 1 : 0,
            });
        return output;
    }

    private static AttentionShape AttentionShapeOf(Tensor q, Tensor k, Tensor v, int heads, bool causal, int[]? keyLengths)
    {
        if (q.Rank != 3 || k.Rank != 3 || v.Rank != 3 || k.Shape != v.Shape || q.Shape[0] != k.Shape[0] || q.Shape[2] != k.Shape[2])
            throw new ArgumentException($"Attention takes q [B, Tq, D] and k, v [B, Tk, D]; got q {q.Shape}, k {k.Shape}, v {v.Shape}.");
        if (heads <= 0 || q.Shape[2] % heads != 0)
            throw new ArgumentException($"Attention: {heads} heads do not divide the dimension {q.Shape[2]}.");
        if (keyLengths != null && keyLengths.Length != q.Shape[0])
            throw new ArgumentException($"Attention: {keyLengths.Length} key lengths for {q.Shape[0]} sequences.");
        return new AttentionShape(q.Shape[0], heads, q.Shape[1], k.Shape[1], q.Shape[2] / heads, causal);
    }

    /// <summary>The tensor itself when its last dimension is contiguous (all the kernel needs), a contiguous copy otherwise.</summary>
    private static Tensor RowStrided(Tensor x) => x.Stride(2) == 1 || x.Shape[2] == 1 ? x : x.Contiguous();

    private static AttentionOperand Operand(Tensor x) => new(x.Data, x.Stride(1), x.Stride(0));

    private static AttentionGpuOperand GpuOperand(Tensor x) => new(x.DeviceFrom(), x.Stride(1), x.Stride(0));

    /// <summary>The uploaded key lengths, or the empty view by which the GPU kernel knows every key is valid.</summary>
    private static ArrayView<int> LengthsView(Tensor? uploaded) => uploaded?.Indices ?? default;

    private static void AttentionBackward(ref TapeEntry entry)
    {
        Graph graph = Graph.Current;
        Tensor q = entry.A!, k = entry.B!, v = entry.C!, output = entry.Output;
        AttentionShape shape = new(q.Shape[0], entry.Integer, q.Shape[1], k.Shape[1], q.Shape[2] / entry.Integer, entry.Integer2 != 0);
        // The kernel writes all three gradients; an input that needs none gets scratch.
        Tensor dq = q.RequiresGrad ? graph.GradientSink(q) : graph.NewTensor(q.Shape, zero: false, q.Device);
        Tensor dk = k.RequiresGrad ? graph.GradientSink(k) : graph.NewTensor(k.Shape, zero: false, k.Device);
        Tensor dv = v.RequiresGrad ? graph.GradientSink(v) : graph.NewTensor(v.Shape, zero: false, v.Device);
        if (q.Device.Gpu is GpuDevice gpu)
            AttentionGpu.Backward(gpu, shape, GpuOperand(q), GpuOperand(k), GpuOperand(v), GpuOperand(output), GpuOperand(output.Grad!),
                entry.Saved!.DeviceView("Attention"), LengthsView(entry.Saved2), GpuOperand(dq), GpuOperand(dk), GpuOperand(dv));
        else
            AttentionKernel.Backward(shape, Operand(q), Operand(k), Operand(v), Operand(output), Operand(output.Grad!), entry.Saved!.Data,
                entry.Indices, Operand(dq), Operand(dk), Operand(dv), TensorSettings.Threads);
        if (q.RequiresGrad) Graph.Accumulate(q, dq);
        if (k.RequiresGrad) Graph.Accumulate(k, dk);
        if (v.RequiresGrad) Graph.Accumulate(v, dv);
    }
}
