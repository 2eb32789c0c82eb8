using BenchmarkDotNet.Attributes;
using EmbedEngine.Kernels.Dense.Attention;
using EmbedEngine.Perf.Onnx;

namespace EmbedEngine.Perf.Kernels.Attention;

/// <summary>
/// The attention forward pass for inference in EmbedEngine (<see cref="AttentionKernel.Forward"/>) and in ONNX
/// Runtime's CPU provider (its com.microsoft MultiHeadAttention contrib operator; unidirectional = 1 is the causal
/// mask), on the same native Q, K and V [B, T, H·d], 1 and 2 threads (ORT's intra-op threads). ORT runs a one-node
/// graph through IOBinding over pre-bound OrtValues, so each call is the op alone.
/// </summary>
[Config(typeof(KernelBenchmarkConfig))]
public unsafe class AttentionOnnxBenchmarks : IDisposable
{
    private const int Batch = 8, Heads = 8, HeadDim = 64;

    /// <summary>Far above float32 rounding of a 64-term dot product and a softmax, far below a different mask or scale.</summary>
    private const double MaximumDifference = 1e-4;

    private AttentionOperands? _operands;
    private Dense.DenseBuffers? _buffers;
    private float* _peerOutput;
    private OnnxBoundSession? _peer;

    /// <summary>Sequence length (queries = keys).</summary>
    [Params(256, 1024)]
    public int T { get; set; }

    /// <summary>Causal mask or none.</summary>
    [Params(false, true)]
    public bool Causal { get; set; }

    /// <summary>Threads for both engines.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _operands = new AttentionOperands(Batch, Heads, T, HeadDim, Causal);
        _buffers = new Dense.DenseBuffers();
        _peerOutput = _buffers.Allocate(_operands.Floats, 0f);
        long[] shape = [Batch, T, Heads * HeadDim];
        byte[] model = OnnxModel.Build("MultiHeadAttention", "com.microsoft",
            [new("query", shape), new("key", shape), new("value", shape)], [new("output", shape)],
            new OnnxModel.Attribute("num_heads", Heads), new OnnxModel.Attribute("unidirectional", Causal ? 1 : 0));
        _peer = new OnnxBoundSession(model, Threads);
        _peer.BindInput("query", _operands.Q.Data, shape);
        _peer.BindInput("key", _operands.K.Data, shape);
        _peer.BindInput("value", _operands.V.Data, shape);
        _peer.BindOutput("output", _peerOutput, shape);
        CheckSameResults();
    }

    /// <summary>Both engines must compute the same attention (mask and scale included): the largest difference is printed and bounded.</summary>
    private void CheckSameResults()
    {
        OnnxRuntime();
        EmbedEngine();
        double worst = 0;
        for (long i = 0; i < _operands!.Floats; i++) worst = Math.Max(worst, Math.Abs(_peerOutput[i] - _operands.O.Data[i]));
        Console.WriteLine($"// Attention T {T}{(Causal ? " causal" : "")}: largest difference between ONNX Runtime and EmbedEngine {worst:E2}");
        if (!(worst <= MaximumDifference))
            throw new InvalidOperationException($"Attention T {T}: the engines differ by {worst:E2}; they do not compute the same op.");
    }

    [Benchmark(Baseline = true)]
    public void OnnxRuntime() => _peer!.Run();

    [Benchmark]
    public void EmbedEngine()
    {
        AttentionOperands o = _operands!;
        AttentionKernel.Forward(o.Shape, o.Q, o.K, o.V, o.O, o.LogSumExp, [], Threads);
    }

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
        _operands?.Dispose();
        _buffers?.Dispose();
    }
}
