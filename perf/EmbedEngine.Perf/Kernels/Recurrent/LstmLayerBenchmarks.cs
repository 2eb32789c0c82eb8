using BenchmarkDotNet.Attributes;
using EmbedEngine.Kernels.Dense;

namespace EmbedEngine.Perf.Kernels.Recurrent;

/// <summary>
/// One LSTM layer over whole sequences (<see cref="LstmLayerKernel"/>) at issue 14's shapes: T 128, B 32, inputs as
/// wide as the hidden size 256, 512 and 1,024, 2 threads; forward alone and forward + backward through time.
/// perf/peers/lstm_bench.py times PyTorch's nn.LSTM on the same shapes.
/// </summary>
[Config(typeof(KernelBenchmarkConfig))]
public class LstmLayerBenchmarks
{
    private const int Steps = 128, Batch = 32, Threads = 2;

    private LstmLayerShape _shape;
    private float[] _x = [], _inputWeights = [], _recurrentWeights = [], _bias = [], _h0 = [], _c0 = [];
    private float[] _gates = [], _cells = [], _tanhCells = [], _hiddens = [], _hiddenGrads = [];
    private float[] _gateGrads = [], _inputGrads = [], _inputWeightGrads = [], _recurrentWeightGrads = [], _biasGrads = [], _h0Grad = [], _c0Grad = [];

    /// <summary>Hidden size (and input width).</summary>
    [Params(256, 512, 1024)]
    public int Hidden { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _shape = new LstmLayerShape(Steps, Batch, Hidden, Hidden);
        var random = new Random(14);
        float[] Draw(int count) => [.. Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 0.2 - 0.1))];
        int rows = _shape.Rows, gates = _shape.Gates;
        (_x, _inputWeights, _recurrentWeights, _bias) = (Draw(rows * Hidden), Draw(gates * Hidden), Draw(gates * Hidden), Draw(gates));
        (_h0, _c0, _hiddenGrads) = (new float[Batch * Hidden], new float[Batch * Hidden], Draw(rows * Hidden));
        (_gates, _cells, _tanhCells, _hiddens) = (new float[rows * gates], new float[rows * Hidden], new float[rows * Hidden], new float[rows * Hidden]);
        (_gateGrads, _inputGrads, _inputWeightGrads) = (new float[rows * gates], new float[rows * Hidden], new float[gates * Hidden]);
        (_recurrentWeightGrads, _biasGrads, _h0Grad, _c0Grad) = (new float[gates * Hidden], new float[gates], new float[Batch * Hidden], new float[Batch * Hidden]);
    }

    [Benchmark]
    public void Forward() =>
        LstmLayerKernel.Forward(_shape, _x, _inputWeights, _recurrentWeights, _bias, _h0, _c0, _gates, _cells, _tanhCells, _hiddens, Threads);

    [Benchmark]
    public void ForwardBackward()
    {
        Forward();
        LstmLayerKernel.Backward(_shape, _x, _inputWeights, _recurrentWeights, _h0, _c0, _gates, _cells, _tanhCells, _hiddens, _hiddenGrads,
            [], [], _gateGrads, _inputGrads, _inputWeightGrads, _recurrentWeightGrads, _biasGrads, _h0Grad, _c0Grad, Threads);
    }
}
