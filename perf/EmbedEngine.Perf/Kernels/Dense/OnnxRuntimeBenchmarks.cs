using BenchmarkDotNet.Attributes;
using EmbedEngine.Kernels.Dense;
using EmbedEngine.Perf.Onnx;

namespace EmbedEngine.Perf.Kernels.Dense;

/// <summary>
/// Layer norm, softmax and GELU (tanh approximation) in EmbedEngine and in ONNX Runtime's CPU provider on the same
/// native buffers, 1 and 2 threads (ORT's intra-op threads; EmbedEngine splits rows with <see cref="RowParallel"/>).
/// ORT runs a one-node graph built in code through IOBinding over pre-bound OrtValues, so each call is the op alone.
/// </summary>
[Config(typeof(KernelBenchmarkConfig))]
public unsafe class OnnxRuntimeBenchmarks : IDisposable
{
    private const float Epsilon = 1e-5f;

    /// <summary>Far above float32 rounding, far below a different formula: the two engines compute the same op.</summary>
    private const double MaximumError = 1e-3;

    private DenseBuffers? _buffers;
    private OnnxBoundSession? _peer;
    private float* _x, _y, _gamma, _beta, _mean, _rstd;
    private int _rows, _columns;
    private Action<int, int>? _body;

    /// <summary>The operation.</summary>
    [Params("LayerNorm", "Softmax", "Gelu")]
    public string Op { get; set; } = "";

    /// <summary>rows×columns: BERT-base activations, a GPT MLP's hidden layer, and a small batch.</summary>
    [Params("4096x768", "512x4096", "64x256")]
    public string Shape { get; set; } = "";

    /// <summary>Threads for both engines.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string[] parts = Shape.Split('x');
        _rows = int.Parse(parts[0]);
        _columns = int.Parse(parts[1]);
        long n = (long)_rows * _columns;
        _buffers = new DenseBuffers();
        _x = _buffers.Allocate(n, 4f);
        _y = _buffers.Allocate(n, 0f);
        _gamma = _buffers.Allocate(_columns);
        _beta = _buffers.Allocate(_columns);
        _mean = _buffers.Allocate(_rows, 0f);
        _rstd = _buffers.Allocate(_rows, 0f);
        long[] shape = [_rows, _columns];
        var x = new OnnxModel.Tensor("X", shape);
        var y = new OnnxModel.Tensor("Y", shape);
        byte[] model = Op switch
        {
            "LayerNorm" => OnnxModel.Build("LayerNormalization", [x, new("Scale", _columns), new("B", _columns)], [y],
                new("axis", -1), new("epsilon", Epsilon)),
            "Softmax" => OnnxModel.Build("Softmax", [x], [y], new OnnxModel.Attribute("axis", -1)),
            _ => OnnxModel.Build("Gelu", [x], [y], new OnnxModel.Attribute("approximate", "tanh")),
        };
        _peer = new OnnxBoundSession(model, Threads);
        _peer.BindInput("X", _x, shape);
        if (Op == "LayerNorm")
        {
            _peer.BindInput("Scale", _gamma, _columns);
            _peer.BindInput("B", _beta, _columns);
        }
        _peer.BindOutput("Y", _y, shape);
        _body = Op switch
        {
            "LayerNorm" => (first, count) => LayerNormKernel.Forward(Rows(_x, first, count), new(_gamma, _columns), new(_beta, _columns),
                Epsilon, Rows(_y, first, count), new(_mean + first, count), new(_rstd + first, count)),
            "Softmax" => (first, count) => SoftmaxKernel.Forward(Rows(_x, first, count), Rows(_y, first, count), _columns),
            _ => (first, count) => GeluKernel.Forward(Rows(_x, first, count), Rows(_y, first, count)),
        };
        CheckSameResults(n);
    }

    /// <summary>
    /// Both engines must compute the same op: each output is compared with a double-precision evaluation, and the setup
    /// fails if either engine is off by more than <see cref="MaximumError"/>. Both errors are printed with the results.
    /// </summary>
    private void CheckSameResults(long n)
    {
        double[] exact = Reference();
        OnnxRuntime();
        double peer = WorstError(exact);
        EmbedEngine();
        double ours = WorstError(exact);
        Console.WriteLine($"// {Op} {Shape}: worst error against double precision: ONNX Runtime {peer:E2}, EmbedEngine {ours:E2}");
        if (Math.Max(peer, ours) > MaximumError)
            throw new InvalidOperationException($"{Op} {Shape}: an engine is off by more than {MaximumError:E0}; they do not compute the same op.");
    }

    /// <summary>|y − exact| / max(|exact|, 1): relative for large outputs, absolute for the small ones.</summary>
    private double WorstError(double[] exact)
    {
        double worst = 0;
        for (int i = 0; i < exact.Length; i++) worst = Math.Max(worst, Math.Abs(_y[i] - exact[i]) / Math.Max(Math.Abs(exact[i]), 1));
        return worst;
    }

    private double[] Reference()
    {
        var y = new double[(long)_rows * _columns];
        for (int r = 0; r < _rows; r++)
        {
            float* x = _x + (long)r * _columns;
            double max = double.NegativeInfinity, sum = 0, squares = 0;
            for (int c = 0; c < _columns; c++)
            {
                max = Math.Max(max, x[c]);
                sum += x[c];
            }
            double mean = sum / _columns, expSum = 0;
            for (int c = 0; c < _columns; c++)
            {
                squares += (x[c] - mean) * (x[c] - mean);
                expSum += Math.Exp(x[c] - max);
            }
            double rstd = 1 / Math.Sqrt(squares / _columns + Epsilon);
            for (int c = 0; c < _columns; c++)
            {
                double v = x[c];
                y[(long)r * _columns + c] = Op switch
                {
                    "LayerNorm" => (v - mean) * rstd * _gamma[c] + _beta[c],
                    "Softmax" => Math.Exp(v - max) / expSum,
                    _ => 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + GeluKernel.Cubic * v * v * v))),
                };
            }
        }
        return y;
    }

    [Benchmark(Baseline = true)]
    public void OnnxRuntime() => _peer!.Run();

    [Benchmark]
    public void EmbedEngine() => RowParallel.For(Threads, _rows, _columns, _body!);

    private Span<float> Rows(float* matrix, int first, int count) => new(matrix + (long)first * _columns, count * _columns);

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
        _buffers?.Dispose();
    }
}
