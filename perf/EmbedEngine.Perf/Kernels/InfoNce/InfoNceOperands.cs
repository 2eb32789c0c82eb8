using EmbedEngine.Kernels.Dense;
using EmbedEngine.Perf.Kernels.Dense;

namespace EmbedEngine.Perf.Kernels.InfoNce;

/// <summary>
/// One InfoNCE batch: N unit image rows and N unit text rows of d, each text row a noisy copy of its image row (so
/// the loss is neither flat nor zero), the gradients, and CLIP's initial log scale ln(1/0.07).
/// </summary>
internal sealed unsafe class InfoNceOperands : IDisposable
{
    /// <summary>CLIP's initial scale 1/0.07, as its log.</summary>
    public static readonly float InitialLogScale = MathF.Log(1f / 0.07f);

    private readonly DenseBuffers _buffers = new();

    public InfoNceOperands(int count, int dimension)
    {
        N = count;
        D = dimension;
        long floats = (long)count * dimension;
        Image = _buffers.Allocate(floats);
        Text = _buffers.Allocate(floats);
        for (long i = 0; i < floats; i++) Text[i] = Image[i] + 0.8f * Text[i];
        Normalize(Image);
        Normalize(Text);
        ImageGrad = _buffers.Allocate(floats, 0f);
        TextGrad = _buffers.Allocate(floats, 0f);
        LogScaleGrad = _buffers.Allocate(1, 0f);
    }

    public int N { get; }

    public int D { get; }

    public float* Image { get; }

    public float* Text { get; }

    public float* ImageGrad { get; }

    public float* TextGrad { get; }

    public float* LogScaleGrad { get; }

    private void Normalize(float* rows)
    {
        var all = new Span<float>(rows, N * D);
        L2NormalizeKernel.Forward(all, L2NormalizeKernel.DefaultEpsilon, all, new float[N]);
    }

    public void Dispose() => _buffers.Dispose();
}
