using BenchmarkDotNet.Attributes;
using EmbedEngine.Models.Mlp;
using EmbedEngine.Perf.Kernels;
using EmbedEngine.Perf.Onnx;
using EmbedEngine.Tensors;
using Tensor = EmbedEngine.Tensors.Tensor;
using EmbedEngine.Tensors.Autograd;
using EmbedEngine.Tensors.Modules;

namespace EmbedEngine.Perf.Tensors;

/// <summary>
/// One forward pass of the MNIST MLP (784-512-256-10, ReLU) in EmbedEngine's tensor layer and in ONNX Runtime's CPU
/// provider, with the same weights and the same input, 1 and 2 threads. ORT runs through IOBinding over
/// pre-bound buffers, EmbedEngine under no-grad with its graph released after each pass.
/// </summary>
[Config(typeof(KernelBenchmarkConfig))]
public unsafe class MlpForwardBenchmarks : IDisposable
{
    private static readonly int[] Hidden = [512, 256];
    private const int Inputs = 784, Classes = 10;

    private MlpClassifier? _model;
    private Tensor? _input, _ortOutput;
    private OnnxBoundSession? _peer;

    /// <summary>Images per pass.</summary>
    [Params(64, 512)]
    public int Batch { get; set; }

    /// <summary>Threads for both engines.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        TensorSettings.Threads = Threads;
        _model = new MlpClassifier(Inputs, Hidden, Classes, dropout: 0f, seed: 3);
        _model.Network.Eval();
        var random = new Random(5);
        _input = Tensor.Zeros(Batch, Inputs);
        Span<float> x = _input.AsSpan();
        for (int i = 0; i < x.Length; i++) x[i] = (float)random.NextDouble();
        _ortOutput = Tensor.Zeros(Batch, Classes);

        var layers = _model.Network.Layers.OfType<Linear>()
            .Select(l => (l.Weight.ToArray(), l.Weight.Shape[0], l.Weight.Shape[1], l.Bias!.ToArray())).ToList();
        _peer = new OnnxBoundSession(OnnxMlp.Build(Batch, layers), Threads);
        _peer.BindInput("X", _input.Data, Batch, Inputs);
        _peer.BindOutput("Y", _ortOutput.Data, Batch, Classes);
        CheckSameScores();
    }

    /// <summary>Both engines must compute the same scores.</summary>
    private void CheckSameScores()
    {
        OnnxRuntime();
        float[] peer = _ortOutput!.ToArray();
        float[] ours;
        using (Graph.NoGrad()) ours = _model!.Network.Forward(_input!).ToArray();
        Graph.Current.Release();
        double worst = 0;
        for (int i = 0; i < ours.Length; i++) worst = Math.Max(worst, Math.Abs(ours[i] - peer[i]) / Math.Max(1, Math.Abs(peer[i])));
        Console.WriteLine($"// MLP batch {Batch}: worst difference between the engines {worst:E2}");
        if (worst > 1e-3) throw new InvalidOperationException($"The engines disagree by {worst:E2}.");
    }

    [Benchmark(Baseline = true)]
    public void OnnxRuntime() => _peer!.Run();

    [Benchmark]
    public float EmbedEngine()
    {
        float first;
        using (Graph.NoGrad()) first = _model!.Network.Forward(_input!).Data[0];
        Graph.Current.Release();
        return first;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _peer?.Dispose();
        _input?.Dispose();
        _ortOutput?.Dispose();
        _model?.Dispose();
        GC.SuppressFinalize(this);
    }
}
