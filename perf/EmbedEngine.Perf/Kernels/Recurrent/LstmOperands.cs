using EmbedEngine.Kernels.Dense;
using EmbedEngine.Perf.Kernels.Dense;

namespace EmbedEngine.Perf.Kernels.Recurrent;

/// <summary>
/// One LSTM layer's native buffers for the benchmarks (inputs, weights, bias, zero initial states and what the
/// forward pass writes), drawn from <see cref="DenseBuffers"/> in a fixed order, and the forward call over them.
/// </summary>
internal sealed unsafe class LstmOperands
{
    /// <summary>Allocates the buffers of <paramref name="shape"/>: inputs uniform in ±<paramref name="inputScale"/>, weights and bias in ±<paramref name="weightScale"/>.</summary>
    public LstmOperands(DenseBuffers buffers, LstmLayerShape shape, float inputScale, float weightScale)
    {
        Shape = shape;
        long rows = shape.Rows, gates = shape.Gates, hidden = shape.Hidden, state = (long)shape.Batch * hidden;
        X = buffers.Allocate(rows * shape.Inputs, inputScale);
        InputWeights = buffers.Allocate(gates * shape.Inputs, weightScale);
        RecurrentWeights = buffers.Allocate(gates * hidden, weightScale);
        Bias = buffers.Allocate(gates, weightScale);
        InitialHidden = buffers.Allocate(state, 0f);
        InitialCell = buffers.Allocate(state, 0f);
        Gates = buffers.Allocate(rows * gates, 0f);
        Cells = buffers.Allocate(rows * hidden, 0f);
        TanhCells = buffers.Allocate(rows * hidden, 0f);
        Hiddens = buffers.Allocate(rows * hidden, 0f);
    }

    public LstmLayerShape Shape { get; }
    public float* X { get; }
    public float* InputWeights { get; }
    public float* RecurrentWeights { get; }
    public float* Bias { get; }
    public float* InitialHidden { get; }
    public float* InitialCell { get; }
    public float* Gates { get; }
    public float* Cells { get; }
    public float* TanhCells { get; }
    public float* Hiddens { get; }

    /// <summary>T·B rows of <paramref name="width"/> floats at <paramref name="data"/>.</summary>
    public Span<float> Rows(float* data, int width) => new(data, Shape.Rows * width);

    /// <summary>4H rows of <paramref name="columns"/> floats at <paramref name="data"/>.</summary>
    public Span<float> Matrix(float* data, int columns) => new(data, Shape.Gates * columns);

    /// <summary>B rows of H floats at <paramref name="data"/>.</summary>
    public Span<float> State(float* data) => new(data, Shape.Batch * Shape.Hidden);

    /// <summary>The layer's forward pass on <paramref name="threads"/> threads.</summary>
    public void Forward(int threads) =>
        LstmLayerKernel.Forward(Shape, Rows(X, Shape.Inputs), Matrix(InputWeights, Shape.Inputs), Matrix(RecurrentWeights, Shape.Hidden),
            new Span<float>(Bias, Shape.Gates), State(InitialHidden), State(InitialCell), Rows(Gates, Shape.Gates), Rows(Cells, Shape.Hidden),
            Rows(TanhCells, Shape.Hidden), Rows(Hiddens, Shape.Hidden), threads);
}
