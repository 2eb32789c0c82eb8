using EmbedEngine.Kernels;
using EmbedEngine.Kernels.Dense;
using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Kernels.Gpu.Dense;
using EmbedEngine.Tensors.Autograd;

namespace EmbedEngine.Tensors;

/// <summary>L2 normalization and CLIP's contrastive loss.</summary>
public static unsafe partial class Ops
{
    /// <summary>Divides each row of the last dimension by max(‖row‖, ε), as PyTorch's F.normalize.</summary>
    public static Tensor L2Normalize(Tensor x, float epsilon = L2NormalizeKernel.DefaultEpsilon)
    {
        Tensor input = x.Contiguous();
        int columns = input.Shape[-1], rows = columns == 0 ? 0 : input.Count / columns;
        Graph graph = Graph.Current;
        Tensor y = graph.NewTensor(input.Shape, zero: false, input.Device);
        Tensor norms = graph.NewTensor(new Shape(rows), zero: false, input.Device);
        if (input.Device.Gpu is GpuDevice gpu)
            L2NormalizeGpu.Forward(gpu, input.DeviceView("L2Normalize"), epsilon, y.DeviceView("L2Normalize"), norms.DeviceView("L2Normalize"));
        else L2NormalizeKernel.Forward(input.AsSpan(), epsilon, y.AsSpan(), norms.AsSpan());
        if (graph.NeedsGrad(input))
            graph.Record(new TapeEntry { Backward = &L2NormalizeBackward, Output = y, A = input, Saved = norms, Scalar = epsilon });
        return y;
    }

    private static void L2NormalizeBackward(ref TapeEntry entry)
    {
        Tensor input = entry.A!;
        Tensor dx = Graph.Current.GradientSink(input);
        if (input.Device.Gpu is GpuDevice gpu)
            L2NormalizeGpu.Backward(gpu, entry.Output.DeviceView("L2Normalize"), entry.Saved!.DeviceView("L2Normalize"), entry.Scalar,
                entry.Output.Grad!.DeviceView("L2Normalize"), dx.DeviceView("L2Normalize"));
        else L2NormalizeKernel.Backward(entry.Output.AsSpan(), entry.Saved!.AsSpan(), entry.Scalar, entry.Output.Grad!.AsSpan(), dx.AsSpan());
        Graph.Accumulate(input, dx);
    }

    /// <summary>
    /// CLIP's symmetric InfoNCE loss of N image rows and their N captions ([N, d] each, normalized by the caller) with
    /// the scale min(e^t, <paramref name="maxScale"/>) for the one-element <paramref name="logScale"/> t, as a
    /// one-element tensor. With <paramref name="negatives"/> H > 0, <paramref name="text"/> holds N + H rows: the
    /// captions, then hard negatives that only the image-to-text direction scores (SimCSE's contradictions). The fused
    /// kernel computes the gradients with the loss, in O(N·block) memory. On a GPU the loss stays on the device; the
    /// log scale, which the kernel takes as a number, is read back once per call.
    /// </summary>
    public static Tensor InfoNce(Tensor image, Tensor text, Tensor logScale, float maxScale = InfoNceKernel.ClipMaxScale, int negatives = 0)
    {
        Device device = Devices.Common("InfoNce", image, text, logScale);
        if (image.Rank != 2 || text.Rank != 2 || text.Shape[1] != image.Shape[1] || negatives < 0 || text.Shape[0] != image.Shape[0] + negatives)
            throw new ArgumentException(negatives == 0
                ? $"InfoNce: image {image.Shape} and text {text.Shape} must both be [pairs, dimension]."
                : $"InfoNce: image {image.Shape} must be [pairs, dimension] and text {text.Shape} [pairs + {negatives} negatives, dimension].");
        if (logScale.Count != 1) throw new ArgumentException($"InfoNce: the log scale must have one element, not shape {logScale.Shape}.");
        Tensor i = image.Contiguous(), t = text.Contiguous(), s = logScale.Contiguous();
        if (device.Gpu is GpuDevice gpu) return InfoNceOnDevice(gpu, i, t, s, maxScale, negatives);
        Graph graph = Graph.Current;
        Tensor loss = graph.NewTensor(new Shape(), zero: false);
        int n = i.Shape[0], d = i.Shape[1];
        if (!graph.NeedsGrad(i, t, s))
        {
            loss.Data[0] = InfoNceKernel.Compute(i.Data, t.Data, n, negatives, d, s.Data[0], maxScale, null, null, null, TensorSettings.Threads);
            return loss;
        }
        Tensor dImage = graph.NewTensor(i.Shape, zero: false), dText = graph.NewTensor(t.Shape, zero: false);
        float dLogScale;
        loss.Data[0] = InfoNceKernel.Compute(i.Data, t.Data, n, negatives, d, s.Data[0], maxScale, dImage.Data, dText.Data, &dLogScale,
            TensorSettings.Threads);
        graph.Record(new TapeEntry
        {
            Backward = &InfoNceBackward, Output = loss, A = i, B = t, C = s, Saved = dImage, Saved2 = dText, Scalar = dLogScale,
        });
        return loss;
    }

    /// <summary>
    /// <see cref="InfoNce"/> on <paramref name="gpu"/>: the scratch, loss and gradients in graph tensors on the device;
    /// dt, a device float, rides in the tape entry's context, since Saved and Saved2 hold dI and dT.
    /// </summary>
    private static Tensor InfoNceOnDevice(GpuDevice gpu, Tensor i, Tensor t, Tensor s, float maxScale, int negatives)
    {
        Graph graph = Graph.Current;
        int n = i.Shape[0], d = i.Shape[1];
        Tensor loss = graph.NewTensor(new Shape(), zero: false, i.Device);
        Tensor scratch = graph.NewTensor(new Shape(InfoNceGpu.ScratchLength(n)), zero: false, i.Device);
        float logScale = s.Item();
        if (!graph.NeedsGrad(i, t, s))
        {
            InfoNceGpu.Compute(gpu, i.DeviceView("InfoNce"), t.DeviceView("InfoNce"), n, negatives, d, logScale, maxScale, scratch.DeviceView("InfoNce"),
                loss.DeviceView("InfoNce"));
            return loss;
        }
        Tensor dImage = graph.NewTensor(i.Shape, zero: false, i.Device), dText = graph.NewTensor(t.Shape, zero: false, i.Device);
        Tensor dLogScale = graph.NewTensor(new Shape(), zero: false, i.Device);
        InfoNceGpu.Compute(gpu, i.DeviceView("InfoNce"), t.DeviceView("InfoNce"), n, negatives, d, logScale, maxScale, scratch.DeviceView("InfoNce"),
            loss.DeviceView("InfoNce"), dImage.DeviceView("InfoNce"), dText.DeviceView("InfoNce"), dLogScale.DeviceView("InfoNce"));
        graph.Record(new TapeEntry
        {
            Backward = &InfoNceBackward, Output = loss, A = i, B = t, C = s, Saved = dImage, Saved2 = dText, Context = dLogScale,
        });
        return loss;
    }

    /// <summary>Each input's saved gradient times dL/dloss.</summary>
    private static void InfoNceBackward(ref TapeEntry entry)
    {
        if (entry.Output.Device.Gpu is GpuDevice gpu)
        {
            InfoNceBackwardOnDevice(gpu, ref entry);
            return;
        }
        Graph graph = Graph.Current;
        float upstream = entry.Output.Grad!.Data[0];
        if (entry.A!.RequiresGrad) AxpyKernel.Axpy(upstream, entry.Saved!.AsSpan(), graph.GradOf(entry.A).AsSpan());
        if (entry.B!.RequiresGrad) AxpyKernel.Axpy(upstream, entry.Saved2!.AsSpan(), graph.GradOf(entry.B).AsSpan());
        if (entry.C!.RequiresGrad) graph.GradOf(entry.C).Data[0] += upstream * entry.Scalar;
    }

    /// <summary>dI and dT scaled by dL/dloss (read back once, as the cross-entropy's backward pass does); dt added on the device.</summary>
    private static void InfoNceBackwardOnDevice(GpuDevice gpu, ref TapeEntry entry)
    {
        Graph graph = Graph.Current;
        float upstream = entry.Output.Grad!.Item();
        if (entry.A!.RequiresGrad) AxpyGpu.Axpy(gpu, upstream, entry.Saved!.DeviceView("InfoNce"), graph.GradOf(entry.A).DeviceView("InfoNce"));
        if (entry.B!.RequiresGrad) AxpyGpu.Axpy(gpu, upstream, entry.Saved2!.DeviceView("InfoNce"), graph.GradOf(entry.B).DeviceView("InfoNce"));
        if (entry.C!.RequiresGrad)
            ReductionGpu.AddScalar(gpu, ((Tensor)entry.Context!).DeviceView("InfoNce"), upstream, graph.GradOf(entry.C).DeviceView("InfoNce"));
    }
}
