using EmbedEngine.Kernels.Gpu;
using EmbedEngine.Models.Training;
using ILGPU;
using ILGPU.Runtime;

namespace EmbedEngine.Models.GloVe;

/// <summary>
/// <see cref="GloVeWeights"/> copied to a device for a GPU run: all eight arrays go up once; the two matrices the
/// vectors come from come back once at the end.
/// </summary>
internal sealed class GloVeDeviceWeights : IDisposable
{
    private readonly DeviceMatrixBuffer _word, _context, _gradSqWord, _gradSqContext;
    private readonly MemoryBuffer1D<float, Stride1D.Dense>[] _biases;

    public GloVeDeviceWeights(GpuDevice device, GloVeWeights host)
    {
        _word = new DeviceMatrixBuffer(device, host.Word, "GloVe's word vectors");
        _context = new DeviceMatrixBuffer(device, host.Context, "GloVe's context vectors");
        _gradSqWord = new DeviceMatrixBuffer(device, host.GradSqWord, "GloVe's squared gradients of the word vectors");
        _gradSqContext = new DeviceMatrixBuffer(device, host.GradSqContext, "GloVe's squared gradients of the context vectors");
        _biases = [.. new[] { host.WordBias, host.ContextBias, host.GradSqWordBias, host.GradSqContextBias }.Select(values =>
        {
            var buffer = device.Allocate<float>(Math.Max(1, values.Length), "GloVe's biases");
            buffer.View.SubView(0, values.Length).CopyFromCPU(values);
            return buffer;
        })];
        Parameters = new GloveParameters(_word.View, _context.View, _gradSqWord.View, _gradSqContext.View,
            _biases[0].View, _biases[1].View, _biases[2].View, _biases[3].View);
    }

    /// <summary>The weights as the kernel takes them.</summary>
    public GloveParameters Parameters { get; }

    /// <summary>Waits for the device and copies W and W̃ back into <paramref name="host"/>.</summary>
    public void CopyVectorsTo(GpuDevice device, GloVeWeights host)
    {
        _word.CopyTo(device, host.Word);
        _context.CopyTo(device, host.Context);
    }

    /// <summary>Frees the device copies.</summary>
    public void Dispose()
    {
        _word.Dispose();
        _context.Dispose();
        _gradSqWord.Dispose();
        _gradSqContext.Dispose();
        foreach (var buffer in _biases) buffer.Dispose();
    }
}
