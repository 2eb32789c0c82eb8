using ILGPU;

namespace EmbedEngine.Kernels.Gpu;

/// <summary>A row-major matrix in device memory as a kernel sees it: the floats and the distance between rows.</summary>
public readonly struct DeviceMatrix
{
    /// <summary>The matrix's floats.</summary>
    public ArrayView<float> Data { get; }

    /// <summary>Floats between the starts of consecutive rows.</summary>
    public int Stride { get; }

    /// <summary>Wraps <paramref name="data"/> with rows <paramref name="stride"/> floats apart.</summary>
    public DeviceMatrix(ArrayView<float> data, int stride)
    {
        Data = data;
        Stride = stride;
    }

    /// <summary>Where element (<paramref name="row"/>, <paramref name="column"/>) lies in <see cref="Data"/>.</summary>
    public long Index(int row, int column) => (long)row * Stride + column;
}
