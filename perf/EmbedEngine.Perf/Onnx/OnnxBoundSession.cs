using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EmbedEngine.Perf.Onnx;

/// <summary>
/// An ONNX Runtime CPU session over a model built in code, its inputs and outputs bound once to native float buffers
/// (IOBinding), so that <see cref="Run"/> times the graph alone: no copies, no allocation of values per call.
/// Sequential execution on <c>threads</c> intra-op threads and full graph optimization, as the benchmarks compare.
/// </summary>
public sealed unsafe class OnnxBoundSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly OrtIoBinding _binding;
    private readonly List<OrtValue> _values = [];

    /// <summary>A session over <paramref name="model"/> (serialized ONNX) on <paramref name="threads"/> threads.</summary>
    public OnnxBoundSession(byte[] model, int threads)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(model, options);
        _binding = _session.CreateIoBinding();
    }

    /// <summary>Binds input <paramref name="name"/> to the floats at <paramref name="data"/> of <paramref name="shape"/>, which must outlive the session.</summary>
    public void BindInput(string name, float* data, params long[] shape) => _binding.BindInput(name, Value(data, shape));

    /// <summary>Binds output <paramref name="name"/> to the floats at <paramref name="data"/> of <paramref name="shape"/>.</summary>
    public void BindOutput(string name, float* data, params long[] shape) => _binding.BindOutput(name, Value(data, shape));

    /// <summary>Runs the graph on the bound buffers.</summary>
    public void Run() => _session.RunWithBinding(_runOptions, _binding);

    /// <summary>Frees ORT's objects; the bound buffers stay the caller's.</summary>
    public void Dispose()
    {
        _binding.Dispose();
        foreach (OrtValue value in _values) value.Dispose();
        _values.Clear();
        _runOptions.Dispose();
        _session.Dispose();
    }

    private OrtValue Value(float* data, long[] shape)
    {
        long floats = 1;
        foreach (long size in shape) floats *= size;
        var value = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.Float, shape, (nint)data, floats * sizeof(float));
        _values.Add(value);
        return value;
    }
}
