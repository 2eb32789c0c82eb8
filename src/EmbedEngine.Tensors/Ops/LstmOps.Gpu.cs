using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Kernels.Gpu.Dense;
using EmbedEngine.Tensors.Autograd;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Tensors;

/// <summary>The LSTM layer's forward pass on a GPU (<see cref="LstmLayerGpu"/>), with its workspace in device memory.</summary>
public static partial class Ops
{
    /// <summary>The one device of every tensor the LSTM op is given; a clear error naming both when two differ.</summary>
    private static Device LstmDevice(Tensor x, Tensor inputWeights, Tensor recurrentWeights, Tensor bias, Tensor? initialHidden, Tensor? initialCell,
        Tensor? finalCell, Tensor? projectionWeights)
    {
        Device device = Devices.Common("Lstm", x, inputWeights, recurrentWeights);
        Devices.Common("Lstm", x, bias, projectionWeights);
        foreach (Tensor? state in (ReadOnlySpan<Tensor?>)[initialHidden, initialCell, finalCell])
            if (state != null) Devices.Common("Lstm", x, state);
        return device;
    }

    /// <summary>Copies the initial states into the workspace (zeros for a missing one), runs the layer, and copies c_T out when asked.</summary>
    private static void LstmForwardGpu(GpuDevice gpu, in LstmWorkspaceLayout layout, Tensor input, Tensor wi, Tensor wh, Tensor b, Tensor? wr,
        Tensor? initialHidden, Tensor? initialCell, Tensor? finalCell, Tensor workspace, Tensor output)
    {
        ArrayView<float> saved = workspace.DeviceView("Lstm");
        CopyOrClear(initialHidden, workspace, layout.InitialHidden);
        CopyOrClear(initialCell, workspace, layout.InitialCell);
        bool projected = wr != null;
        var projection = projected ? new LstmGpuProjection(wr!.DeviceView("Lstm"), output.DeviceView("Lstm")) : default;
        LstmLayerGpu.Forward(gpu, layout.Shape, input.DeviceView("Lstm"), wi.DeviceView("Lstm"), wh.DeviceView("Lstm"), b.DeviceView("Lstm"),
            Part(saved, layout.InitialHidden), Part(saved, layout.InitialCell), Part(saved, layout.Gates), Part(saved, layout.Cells),
            Part(saved, layout.TanhCells), projected ? Part(saved, layout.Hiddens) : output.DeviceView("Lstm"), projection);
        if (finalCell != null)
        {
            int last = layout.Shape.Batch * layout.Shape.Hidden;
            Part(saved, layout.Cells).SubView(layout.Cells.Length - last, last).CopyTo(finalCell.DeviceView("Lstm"));
        }
    }

    /// <summary>A state into its place in the workspace through a view of it (the state may be strided), or zeros there when there is none.</summary>
    private static void CopyOrClear(Tensor? source, Tensor workspace, (int Start, int Length) part)
    {
        if (source == null)
        {
            Part(workspace.DeviceView("Lstm"), part).MemSetToZero();
            return;
        }
        Span<int> strides = stackalloc int[source.Rank];
        source.Shape.ContiguousStrides(strides);
        source.CopyOnDevice(Graph.Current.NewView(workspace, workspace.Offset + part.Start, source.Shape, strides), accumulate: false);
    }

    private static ArrayView<float> Part(ArrayView<float> workspace, (int Start, int Length) part) => workspace.SubView(part.Start, part.Length);
}
