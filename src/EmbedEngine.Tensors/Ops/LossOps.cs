using EmbedEngine.Kernels;
using EmbedEngine.Kernels.Dense;
using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Kernels.Gpu.Dense;
using EmbedEngine.Tensors.Autograd;

namespace EmbedEngine.Tensors;

/// <summary>Losses and reductions to a scalar.</summary>
public static unsafe partial class Ops
{
    /// <summary>
    /// Mean cross-entropy of logits [rows, classes] against one class per row (rows whose target is
    /// <paramref name="ignoreIndex"/> are left out), as a one-element tensor. Its gradient is computed with the loss.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, int[] targets, int ignoreIndex = CrossEntropyKernel.DefaultIgnoreIndex)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (logits.Rank != 2 || logits.Shape[0] != targets.Length)
            throw new ArgumentException($"CrossEntropy: logits {logits.Shape} need [rows, classes] with one target per row; got {targets.Length} targets.");
        Tensor input = logits.Contiguous();
        Graph graph = Graph.Current;
        Tensor gradient = graph.NewTensor(input.Shape, zero: false, input.Device);
        Tensor loss = graph.NewTensor(new Shape(), zero: false, input.Device);
        if (input.Device.Gpu is GpuDevice gpu) CrossEntropyOnDevice(gpu, input, targets, ignoreIndex, gradient, loss);
        else loss.Data[0] = CrossEntropyKernel.Compute(input.AsSpan(), targets, gradient.AsSpan(), input.Shape[1], ignoreIndex);
        if (graph.NeedsGrad(input)) graph.Record(new TapeEntry { Backward = &ScaledSavedBackward, Output = loss, A = input, Saved = gradient });
        return loss;
    }

    /// <summary>The sum of all elements, as a one-element tensor.</summary>
    public static Tensor Sum(Tensor x) => Reduce(x, 1f);

    /// <summary>The mean of all elements, as a one-element tensor.</summary>
    public static Tensor Mean(Tensor x) => Reduce(x, 1f / Math.Max(1, x.Count));

    /// <summary>scale·Σx, on the input's device; on a GPU the result stays there.</summary>
    private static Tensor Reduce(Tensor x, float scale)
    {
        Tensor input = x.Contiguous();
        Graph graph = Graph.Current;
        Tensor result = graph.NewTensor(new Shape(), zero: false, input.Device);
        if (input.Device.Gpu is GpuDevice gpu) ReductionGpu.Sum(gpu, input.DeviceView("Sum"), scale, result.DeviceView("Sum"));
        else result.Data[0] = ReductionKernel.Sum(input.AsSpan()) * scale;
        if (graph.NeedsGrad(input)) graph.Record(new TapeEntry { Backward = &ReduceBackward, Output = result, A = input, Scalar = scale });
        return result;
    }

    /// <summary>dx += dL · saved, for a scalar output whose local gradient the forward pass already computed.</summary>
    private static void ScaledSavedBackward(ref TapeEntry entry)
    {
        Tensor input = entry.A!;
        if (input.Device.Gpu is GpuDevice gpu)
            AxpyGpu.Axpy(gpu, entry.Output.Grad!.Item(), entry.Saved!.DeviceView("backward"), Graph.Current.GradOf(input).DeviceView("backward"));
        else AxpyKernel.Axpy(entry.Output.Grad!.Data[0], entry.Saved!.AsSpan(), Graph.Current.GradOf(input).AsSpan());
    }

    /// <summary>
    /// The loss and its gradient on a GPU, the mean left on the device. The targets are checked here, on the host,
    /// since the GPU kernel would only turn a bad one into NaN.
    /// </summary>
    private static void CrossEntropyOnDevice(GpuDevice gpu, Tensor input, int[] targets, int ignoreIndex, Tensor gradient, Tensor loss)
    {
        int classes = input.Shape[1];
        for (int r = 0; r < targets.Length; r++)
            if (targets[r] != ignoreIndex && (uint)targets[r] >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(targets), targets[r], $"CrossEntropy: target {r} must name one of {classes} classes or be the ignore index {ignoreIndex}.");
        Tensor rowLosses = Graph.Current.NewTensor(new Shape(targets.Length), zero: false, input.Device);
        CrossEntropyGpu.Compute(gpu, input.DeviceView("CrossEntropy"), Tensor.Upload(input.Device, targets).Indices, gradient.DeviceView("CrossEntropy"),
            classes, rowLosses.DeviceView("CrossEntropy"), loss.DeviceView("CrossEntropy"), ignoreIndex);
    }

    private static void ReduceBackward(ref TapeEntry entry)
    {
        if (entry.A!.Device.Gpu is GpuDevice gpu)
        {
            ReductionGpu.AddScalar(gpu, entry.Output.Grad!.DeviceView("Sum"), entry.Scalar, Graph.Current.GradOf(entry.A).DeviceView("Sum"));
            return;
        }
        float gradient = entry.Output.Grad!.Data[0] * entry.Scalar;
        Span<float> target = Graph.Current.GradOf(entry.A!).AsSpan();
        for (int i = 0; i < target.Length; i++) target[i] += gradient;
    }
}
