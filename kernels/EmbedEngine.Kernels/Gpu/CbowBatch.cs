using ILGPU;

namespace EmbedEngine.Kernels.Gpu;

/// <summary>Windows for <see cref="CbowGpu"/> gathered on the CPU, then launched together.</summary>
public sealed class CbowBatch : IDisposable
{
    private readonly RowLists _bags = new("bag rows");
    private readonly RowLists _windowPredictions = new("window predictions");
    private readonly RowLists _targets = new("prediction targets");
    private readonly StreamedBuffer<float> _shifts = new("mean shifts");

    /// <summary>Windows gathered since the last launch.</summary>
    public int Count => _bags.Count;

    /// <summary>
    /// Opens a window whose input is the mean of the rows in <paramref name="bag"/>; each prediction's gradient moves
    /// that mean by <paramref name="shift"/> times itself. Add its predictions, then <see cref="EndWindow"/>.
    /// </summary>
    public void BeginWindow(ReadOnlySpan<int> bag, float shift)
    {
        _bags.Add(bag);
        _bags.EndList();
        _shifts.Add(shift);
    }

    /// <summary>Adds a prediction to the open window: the true word, then its negatives.</summary>
    public void AddPrediction(ReadOnlySpan<int> targets)
    {
        _windowPredictions.Add(_targets.Count);
        _targets.Add(targets);
        _targets.EndList();
    }

    /// <summary>Closes the open window.</summary>
    public void EndWindow() => _windowPredictions.EndList();

    /// <summary>Uploads the windows, queues <see cref="CbowGpu.Update"/> over them and starts a new batch.</summary>
    public void Launch(GpuDevice device, DeviceMatrix input, DeviceMatrix output, int dim, float learningRate,
        SigmoidMode sigmoid, ArrayView<float> loss)
    {
        CbowGpu.Update(device, input, output, _bags.Upload(device), _windowPredictions.Upload(device), _targets.Upload(device),
            _shifts.Upload(device), dim, learningRate, sigmoid, loss);
        _bags.Clear();
        _windowPredictions.Clear();
        _targets.Clear();
        _shifts.Clear();
    }

    /// <summary>Frees the device buffers.</summary>
    public void Dispose()
    {
        _bags.Dispose();
        _windowPredictions.Dispose();
        _targets.Dispose();
        _shifts.Dispose();
    }
}
