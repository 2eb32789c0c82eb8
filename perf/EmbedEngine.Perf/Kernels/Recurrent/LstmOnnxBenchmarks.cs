using BenchmarkDotNet.Attributes;
using EmbedEngine.Kernels.Dense;
using EmbedEngine.Perf.Kernels.Dense;
using EmbedEngine.Perf.Onnx;

namespace EmbedEngine.Perf.Kernels.Recurrent;

/// <summary>
/// One LSTM layer's forward pass for inference in EmbedEngine (<see cref="LstmLayerKernel.Forward"/>, which also
/// keeps what training needs) and in ONNX Runtime's CPU provider (the ONNX LSTM operator, its weights reordered from
/// PyTorch's gates i, f, g, o to ONNX's i, o, f, c), on the same inputs and weights: T 128, B 32, inputs as wide as
/// the hidden size 256, 512 and 1,024, 1 and 2 threads. ORT runs a one-node graph through IOBinding over pre-bound
/// buffers, so each call is the op alone.
/// </summary>
[Config(typeof(KernelBenchmarkConfig))]
public unsafe class LstmOnnxBenchmarks : IDisposable
{
    private const int Steps = 128, Batch = 32;

    /// <summary>Far above float32 rounding of 128 steps of a 1,024-term recurrence, far below a gate in the wrong place.</summary>
    private const double MaximumDifference = 1e-4;

    private readonly DenseBuffers _buffers = new();
    private LstmOperands? _layer;
    private float* _peerOutput;
    private OnnxBoundSession? _peer;

    /// <summary>Hidden size (and input width).</summary>
    [Params(256, 512, 1024)]
    public int Hidden { get; set; }

    /// <summary>Threads for both engines.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var shape = new LstmLayerShape(Steps, Batch, Hidden, Hidden);
        _layer = new LstmOperands(_buffers, shape, inputScale: 1f, weightScale: 1f / MathF.Sqrt(Hidden));
        int gates = shape.Gates;
        _peerOutput = _buffers.Allocate((long)shape.Rows * Hidden, 0f);

        float* onnxW = OnnxGateOrder(_layer.InputWeights, Hidden), onnxR = OnnxGateOrder(_layer.RecurrentWeights, Hidden);
        float* onnxB = _buffers.Allocate(2 * gates, 0f); // W_b then R_b: the one bias goes into W_b
        float* reorderedBias = OnnxGateOrder(_layer.Bias, 1);
        new ReadOnlySpan<float>(reorderedBias, gates).CopyTo(new Span<float>(onnxB, gates));
        long[] input = [Steps, Batch, Hidden], weights = [1, gates, Hidden], biases = [1, 2 * gates], output = [Steps, 1, Batch, Hidden];
        byte[] model = OnnxModel.Build("LSTM", [new("X", input), new("W", weights), new("R", weights), new("B", biases)], [new("Y", output)],
            new OnnxModel.Attribute("hidden_size", Hidden));
        _peer = new OnnxBoundSession(model, Threads);
        _peer.BindInput("X", _layer.X, input);
        _peer.BindInput("W", onnxW, weights);
        _peer.BindInput("R", onnxR, weights);
        _peer.BindInput("B", onnxB, biases);
        _peer.BindOutput("Y", _peerOutput, output);
        CheckSameResults();
    }

    /// <summary>A copy of [4H × columns] with its gate blocks moved from PyTorch's i, f, g, o to ONNX's i, o, f, c.</summary>
    private float* OnnxGateOrder(float* pytorch, int columns)
    {
        long block = (long)Hidden * columns;
        float* onnx = _buffers.Allocate(4 * block, 0f);
        ReadOnlySpan<int> source = [0, 3, 1, 2]; // ONNX block k holds PyTorch block source[k]
        for (int k = 0; k < 4; k++)
            new ReadOnlySpan<float>(pytorch + source[k] * block, (int)block).CopyTo(new Span<float>(onnx + k * block, (int)block));
        return onnx;
    }

    /// <summary>Both engines must compute the same layer: the largest difference is printed and bounded.</summary>
    private void CheckSameResults()
    {
        OnnxRuntime();
        EmbedEngine();
        long count = (long)_layer!.Shape.Rows * Hidden;
        double worst = 0;
        for (long i = 0; i < count; i++) worst = Math.Max(worst, Math.Abs(_peerOutput[i] - _layer.Hiddens[i]));
        Console.WriteLine($"// LSTM H {Hidden}: largest difference between ONNX Runtime and EmbedEngine {worst:E2}");
        if (!(worst <= MaximumDifference))
            throw new InvalidOperationException($"LSTM H {Hidden}: the engines differ by {worst:E2}; they do not compute the same layer.");
    }

    [Benchmark(Baseline = true)]
    public void OnnxRuntime() => _peer!.Run();

    [Benchmark]
    public void EmbedEngine() => _layer!.Forward(Threads);

    [GlobalCleanup]
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees ORT's objects, then the buffers they point into.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing) return;
        _peer?.Dispose();
        _buffers.Dispose();
    }
}
