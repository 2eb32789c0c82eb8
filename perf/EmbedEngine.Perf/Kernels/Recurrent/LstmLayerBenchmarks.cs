using BenchmarkDotNet.Attributes;
using EmbedEngine.Kernels.Dense;
using EmbedEngine.Perf.Kernels.Dense;

namespace EmbedEngine.Perf.Kernels.Recurrent;

/// <summary>
/// One LSTM layer over whole sequences (<see cref="LstmLayerKernel"/>) at issue 14's shapes: T 128, B 32, inputs as
/// wide as the hidden size 256, 512 and 1,024, 2 threads; forward alone and forward + backward through time.
/// perf/peers/lstm_bench.py times PyTorch's nn.LSTM on the same shapes. The setup runs ten passes first: a call takes
/// tens to hundreds of milliseconds, so the short job's warm-up is one or two calls, too few for the JIT to finish
/// tiering, and the first benchmark of the process (hidden 256, forward) measured 15 to 67 ms instead of 15.
/// </summary>
[Config(typeof(KernelBenchmarkConfig))]
public unsafe class LstmLayerBenchmarks : IDisposable
{
    private const int Steps = 128, Batch = 32, Threads = 2;

    private readonly DenseBuffers _buffers = new();
    private LstmOperands? _layer;
    private float* _hiddenGrads, _gateGrads, _inputGrads, _inputWeightGrads, _recurrentWeightGrads, _biasGrads, _h0Grad, _c0Grad;

    /// <summary>Hidden size (and input width).</summary>
    [Params(256, 512, 1024)]
    public int Hidden { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var shape = new LstmLayerShape(Steps, Batch, Hidden, Hidden);
        _layer = new LstmOperands(_buffers, shape, inputScale: 0.1f, weightScale: 0.1f);
        long rows = shape.Rows, gates = shape.Gates, state = Batch * Hidden;
        _hiddenGrads = _buffers.Allocate(rows * Hidden, 0.1f);
        _gateGrads = _buffers.Allocate(rows * gates, 0f);
        _inputGrads = _buffers.Allocate(rows * Hidden, 0f);
        _inputWeightGrads = _buffers.Allocate(gates * Hidden, 0f);
        _recurrentWeightGrads = _buffers.Allocate(gates * Hidden, 0f);
        _biasGrads = _buffers.Allocate(gates, 0f);
        _h0Grad = _buffers.Allocate(state, 0f);
        _c0Grad = _buffers.Allocate(state, 0f);
        for (int i = 0; i < 10; i++) ForwardBackward(); // see the summary: past the JIT's tiering before measuring
    }

    [Benchmark]
    public void Forward() => _layer!.Forward(Threads);

    [Benchmark]
    public void ForwardBackward()
    {
        LstmOperands l = _layer!;
        l.Forward(Threads);
        LstmLayerKernel.Backward(l.Shape, l.Rows(l.X, Hidden), l.Matrix(l.InputWeights, Hidden), l.Matrix(l.RecurrentWeights, Hidden), l.State(l.InitialHidden),
            l.State(l.InitialCell), l.Rows(l.Gates, l.Shape.Gates), l.Rows(l.Cells, Hidden), l.Rows(l.TanhCells, Hidden), l.Rows(l.Hiddens, Hidden),
            l.Rows(_hiddenGrads, Hidden), [], [], l.Rows(_gateGrads, l.Shape.Gates), l.Rows(_inputGrads, Hidden), l.Matrix(_inputWeightGrads, Hidden),
            l.Matrix(_recurrentWeightGrads, Hidden), new Span<float>(_biasGrads, l.Shape.Gates), l.State(_h0Grad), l.State(_c0Grad), Threads);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _buffers.Dispose();
        GC.SuppressFinalize(this);
    }
}
