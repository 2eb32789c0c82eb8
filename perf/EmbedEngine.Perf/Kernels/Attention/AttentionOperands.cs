using EmbedEngine.Kernels.Dense.Attention;
using EmbedEngine.Perf.Kernels.Dense;

namespace EmbedEngine.Perf.Kernels.Attention;

/// <summary>
/// Packed [batch, time, heads·headDim] buffers for one self-attention shape: Q, K, V, O, dO and the gradients, and
/// the log-sum-exp; inputs in ±1, so the softmax is neither flat nor one-hot.
/// </summary>
internal sealed unsafe class AttentionOperands : IDisposable
{
    private readonly DenseBuffers _buffers = new();

    public AttentionOperands(int batch, int heads, int length, int headDim, bool causal)
    {
        Shape = new AttentionShape(batch, heads, length, length, headDim, causal);
        long n = (long)batch * length * heads * headDim;
        Q = Packed(_buffers.Allocate(n));
        K = Packed(_buffers.Allocate(n));
        V = Packed(_buffers.Allocate(n));
        O = Packed(_buffers.Allocate(n, 0f));
        DOut = Packed(_buffers.Allocate(n));
        DQ = Packed(_buffers.Allocate(n, 0f));
        DK = Packed(_buffers.Allocate(n, 0f));
        DV = Packed(_buffers.Allocate(n, 0f));
        LogSumExp = _buffers.Allocate((long)batch * heads * length, 0f);
    }

    public AttentionShape Shape { get; }

    public AttentionOperand Q { get; }

    public AttentionOperand K { get; }

    public AttentionOperand V { get; }

    public AttentionOperand O { get; }

    public AttentionOperand DOut { get; }

    public AttentionOperand DQ { get; }

    public AttentionOperand DK { get; }

    public AttentionOperand DV { get; }

    public float* LogSumExp { get; }

    /// <summary>Floats in one of Q, K, V or O.</summary>
    public long Floats => (long)Shape.Batch * Shape.QueryLength * Shape.Heads * Shape.HeadDim;

    private AttentionOperand Packed(float* data) => AttentionOperand.Packed(data, Shape.QueryLength, Shape.Heads, Shape.HeadDim);

    public void Dispose() => _buffers.Dispose();
}
