using ILGPU;

namespace EmbedEngine.Kernels.Gpu;

/// <summary>Windows for <see cref="SgnsWindowGpu"/> gathered on the CPU, then launched together.</summary>
public sealed class SgnsWindowBatch : IDisposable
{
    private readonly RowLists _inputs = new("skip-gram context rows");
    private readonly RowLists _outputs = new("skip-gram output rows");

    /// <summary>Windows gathered since the last launch.</summary>
    public int Count => _inputs.Count;

    /// <summary>Adds a window: its context rows, and its true word followed by the negatives they share.</summary>
    public void Add(ReadOnlySpan<int> context, ReadOnlySpan<int> outputs)
    {
        _inputs.Add(context);
        _inputs.EndList();
        _outputs.Add(outputs);
        _outputs.EndList();
    }

    /// <summary>Uploads the windows, queues <see cref="SgnsWindowGpu.Update"/> over them and starts a new batch.</summary>
    public void Launch(GpuDevice device, DeviceMatrix input, DeviceMatrix output, int dim, float learningRate,
        SigmoidMode sigmoid, ArrayView<float> loss)
    {
        SgnsWindowGpu.Update(device, input, output, _inputs.Upload(device), _outputs.Upload(device), dim, learningRate, sigmoid, loss);
        _inputs.Clear();
        _outputs.Clear();
    }

    /// <summary>Frees the device buffers.</summary>
    public void Dispose()
    {
        _inputs.Dispose();
        _outputs.Dispose();
    }
}
