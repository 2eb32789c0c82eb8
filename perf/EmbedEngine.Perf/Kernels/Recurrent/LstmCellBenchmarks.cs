using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using EmbedEngine.Kernels;
using EmbedEngine.Kernels.Dense;

namespace EmbedEngine.Perf.Kernels.Recurrent;

/// <summary>
/// The fused LSTM cell of one time step (<see cref="LstmCellKernel"/>), forward and backward, every variant, on
/// <see cref="SpeedShapes.LstmBatch"/> rows of <see cref="SpeedShapes.LstmHidden"/>: the problem <c>embed bench
/// speed</c> times, with its seeded values. The backward step reads the gates of one forward step made in the setup.
/// </summary>
[Config(typeof(KernelBenchmarkConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public unsafe class LstmCellBenchmarks : IDisposable
{
    private const int Hidden = SpeedShapes.LstmHidden, State = SpeedShapes.LstmBatch * Hidden, Gates = 4 * State;

    private readonly List<NativeMatrix> _owned = [];
    private float* _forwardGates, _backwardGates, _previousCell, _cell, _tanhCell, _hidden, _hiddenGrad, _cellGrad, _gateGrad;

    [GlobalSetup]
    public void Setup()
    {
        _forwardGates = Vector(Gates, 1f, salt: 1);
        _backwardGates = Vector(Gates, 1f, salt: 1);
        _previousCell = Vector(State, 1f, salt: 2);
        _cell = Vector(State, 0f);
        _tanhCell = Vector(State, 0f);
        _hidden = Vector(State, 0f);
        _hiddenGrad = Vector(State, 0.1f, salt: 3);
        _cellGrad = Vector(State, 0.1f, salt: 4);
        _gateGrad = Vector(Gates, 0f);
        LstmCellKernel.Forward(Hidden, new Span<float>(_backwardGates, Gates), new ReadOnlySpan<float>(_previousCell, State), new Span<float>(_cell, State),
            new Span<float>(_tanhCell, State), new Span<float>(_hidden, State));
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Forward")]
    public void ForwardScalar() => Forward(LstmCellKernel.ForwardScalar);

    [Benchmark]
    [BenchmarkCategory("Forward")]
    public void ForwardAvx2() => Forward(LstmCellKernel.ForwardAvx2);

    [Benchmark]
    [BenchmarkCategory("Forward")]
    public void ForwardAvx512() => Forward(LstmCellKernel.ForwardAvx512);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Backward")]
    public void BackwardScalar() => Backward(LstmCellKernel.BackwardScalar);

    [Benchmark]
    [BenchmarkCategory("Backward")]
    public void BackwardAvx2() => Backward(LstmCellKernel.BackwardAvx2);

    [Benchmark]
    [BenchmarkCategory("Backward")]
    public void BackwardAvx512() => Backward(LstmCellKernel.BackwardAvx512);

    /// <summary>One forward step; its activated gates overwrite the pre-activations, as in the speed suite.</summary>
    private void Forward(LstmForwardFn step) =>
        step(Hidden, new Span<float>(_forwardGates, Gates), new ReadOnlySpan<float>(_previousCell, State), new Span<float>(_cell, State),
            new Span<float>(_tanhCell, State), new Span<float>(_hidden, State));

    private void Backward(LstmBackwardFn step) =>
        step(Hidden, new ReadOnlySpan<float>(_backwardGates, Gates), new ReadOnlySpan<float>(_previousCell, State), new ReadOnlySpan<float>(_tanhCell, State),
            new ReadOnlySpan<float>(_hiddenGrad, State), new Span<float>(_cellGrad, State), new Span<float>(_gateGrad, Gates));

    /// <summary>A contiguous seeded vector (<see cref="BenchmarkData.Matrix"/>), freed with the benchmark.</summary>
    private float* Vector(int length, float scale, int salt = 0)
    {
        NativeMatrix m = BenchmarkData.Matrix(1, length, scale, salt);
        _owned.Add(m);
        return m.Data;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        foreach (NativeMatrix m in _owned) m.Dispose();
        _owned.Clear();
        GC.SuppressFinalize(this);
    }
}
