using EmbedEngine.Kernels;
using EmbedEngine.Perf.Kernels.Dense;

namespace EmbedEngine.Perf.Kernels.InfoNce;

/// <summary>One InfoNCE batch (<see cref="BenchmarkData.CaptionedPairs"/>), its gradients, and CLIP's initial log scale ln(1/0.07).</summary>
internal sealed unsafe class InfoNceOperands : IDisposable
{
    /// <summary>CLIP's initial scale 1/0.07, as its log.</summary>
    public static readonly float InitialLogScale = BenchmarkData.ClipInitialLogScale;

    private readonly DenseBuffers _buffers = new();
    private readonly NativeMatrix _image, _text;

    public InfoNceOperands(int count, int dimension)
    {
        N = count;
        D = dimension;
        long floats = (long)count * dimension;
        (_image, _text) = BenchmarkData.CaptionedPairs(count, dimension);
        ImageGrad = _buffers.Allocate(floats, 0f);
        TextGrad = _buffers.Allocate(floats, 0f);
        LogScaleGrad = _buffers.Allocate(1, 0f);
    }

    public int N { get; }

    public int D { get; }

    public float* Image => _image.Data;

    public float* Text => _text.Data;

    public float* ImageGrad { get; }

    public float* TextGrad { get; }

    public float* LogScaleGrad { get; }

    public void Dispose()
    {
        _buffers.Dispose();
        _image.Dispose();
        _text.Dispose();
    }
}
