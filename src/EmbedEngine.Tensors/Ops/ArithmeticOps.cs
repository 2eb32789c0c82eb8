using EmbedEngine.Kernels;
using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Tensors.Autograd;
using ILGPU.Runtime;

namespace EmbedEngine.Tensors;

/// <summary>Element-wise arithmetic.</summary>
public static unsafe partial class Ops
{
    /// <summary>a + b for tensors of one shape.</summary>
    public static Tensor Add(Tensor a, Tensor b)
    {
        if (a.Shape != b.Shape) throw new ArgumentException($"Add: shapes {a.Shape} and {b.Shape} differ.");
        Device device = Devices.Common("Add", a, b);
        Graph graph = Graph.Current;
        Tensor sum = graph.NewTensor(a.Shape, zero: false, device);
        if (device.Kind == DeviceKind.Gpu) sum.DeviceView("Add").CopyFrom(a.DeviceView("Add"));
        else a.CopyTo(sum.AsSpan());
        TensorMath.AddInto(sum, b);
        if (graph.NeedsGrad(a, b)) graph.Record(new TapeEntry { Backward = &AddBackward, Output = sum, A = a, B = b });
        return sum;
    }

    /// <summary>s·x.</summary>
    public static Tensor Scale(Tensor x, float s)
    {
        Graph graph = Graph.Current;
        if (x.Device.Gpu is GpuDevice gpu)
        {
            // s·x as 0 + s·x: the zeroed output and one axpy, the GPU's scaling kernel.
            Tensor input = x.Contiguous(), product = graph.NewTensor(x.Shape, zero: true, x.Device);
            AxpyGpu.Axpy(gpu, s, input.DeviceView("Scale"), product.DeviceView("Scale"));
            if (graph.NeedsGrad(input)) graph.Record(new TapeEntry { Backward = &ScaleBackward, Output = product, A = input, Scalar = s });
            return product;
        }
        Tensor scaled = graph.NewTensor(x.Shape, zero: false);
        x.CopyTo(scaled.AsSpan());
        ScaleKernel.Scale(s, scaled.AsSpan());
        if (graph.NeedsGrad(x)) graph.Record(new TapeEntry { Backward = &ScaleBackward, Output = scaled, A = x, Scalar = s });
        return scaled;
    }

    private static void AddBackward(ref TapeEntry entry)
    {
        Graph graph = Graph.Current;
        if (entry.A!.RequiresGrad) TensorMath.AddInto(graph.GradOf(entry.A), entry.Output.Grad!);
        if (entry.B!.RequiresGrad) TensorMath.AddInto(graph.GradOf(entry.B), entry.Output.Grad!);
    }

    private static void ScaleBackward(ref TapeEntry entry)
    {
        Tensor grad = Graph.Current.GradOf(entry.A!);
        if (grad.Device.Gpu is GpuDevice gpu) AxpyGpu.Axpy(gpu, entry.Scalar, entry.Output.Grad!.DeviceView("Scale"), grad.DeviceView("Scale"));
        else AxpyKernel.Axpy(entry.Scalar, entry.Output.Grad!.AsSpan(), grad.AsSpan());
    }
}
