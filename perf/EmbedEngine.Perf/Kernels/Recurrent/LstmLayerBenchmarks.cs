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
    private LstmLayerShape _shape;
    private float* _x, _inputWeights, _recurrentWeights, _bias, _h0, _c0, _gates, _cells, _tanhCells, _hiddens, _hiddenGrads;
    private float* _gateGrads, _inputGrads, _inputWeightGrads, _recurrentWeightGrads, _biasGrads, _h0Grad, _c0Grad;

    /// <summary>Hidden size (and input width).</summary>
    [Params(256, 512, 1024)]
    public int Hidden { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _shape = new LstmLayerShape(Steps, Batch, Hidden, Hidden);
        long rows = _shape.Rows, gates = _shape.Gates, state = Batch * Hidden;
        float* Draw(long count) => _buffers.Allocate(count, 0.1f);
        float* Zeros(long count) => _buffers.Allocate(count, 0f);
        _x = Draw(rows * Hidden);
        _inputWeights = Draw(gates * Hidden);
        _recurrentWeights = Draw(gates * Hidden);
        _bias = Draw(gates);
        _hiddenGrads = Draw(rows * Hidden);
        _h0 = Zeros(state);
        _c0 = Zeros(state);
        _gates = Zeros(rows * gates);
        _cells = Zeros(rows * Hidden);
        _tanhCells = Zeros(rows * Hidden);
        _hiddens = Zeros(rows * Hidden);
        _gateGrads = Zeros(rows * gates);
        _inputGrads = Zeros(rows * Hidden);
        _inputWeightGrads = Zeros(gates * Hidden);
        _recurrentWeightGrads = Zeros(gates * Hidden);
        _biasGrads = Zeros(gates);
        _h0Grad = Zeros(state);
        _c0Grad = Zeros(state);
        for (int i = 0; i < 10; i++) ForwardBackward(); // see the summary: past the JIT's tiering before measuring
    }

    private Span<float> Rows(float* data, int width) => new(data, _shape.Rows * width);

    private Span<float> Matrix(float* data, int columns) => new(data, _shape.Gates * columns);

    private Span<float> State(float* data) => new(data, Batch * Hidden);

    [Benchmark]
    public void Forward() =>
        LstmLayerKernel.Forward(_shape, Rows(_x, Hidden), Matrix(_inputWeights, Hidden), Matrix(_recurrentWeights, Hidden), new Span<float>(_bias, _shape.Gates),
            State(_h0), State(_c0), Rows(_gates, _shape.Gates), Rows(_cells, Hidden), Rows(_tanhCells, Hidden), Rows(_hiddens, Hidden), Threads);

    [Benchmark]
    public void ForwardBackward()
    {
        Forward();
        LstmLayerKernel.Backward(_shape, Rows(_x, Hidden), Matrix(_inputWeights, Hidden), Matrix(_recurrentWeights, Hidden), State(_h0), State(_c0),
            Rows(_gates, _shape.Gates), Rows(_cells, Hidden), Rows(_tanhCells, Hidden), Rows(_hiddens, Hidden), Rows(_hiddenGrads, Hidden), [], [],
            Rows(_gateGrads, _shape.Gates), Rows(_inputGrads, Hidden), Matrix(_inputWeightGrads, Hidden), Matrix(_recurrentWeightGrads, Hidden),
            new Span<float>(_biasGrads, _shape.Gates), State(_h0Grad), State(_c0Grad), Threads);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _buffers.Dispose();
        GC.SuppressFinalize(this);
    }
}
