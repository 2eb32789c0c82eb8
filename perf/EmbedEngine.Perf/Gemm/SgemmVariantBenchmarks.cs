using BenchmarkDotNet.Attributes;
using EmbedEngine.Kernels.Gemm;

namespace EmbedEngine.Perf.Gemm;

/// <summary>
/// <see cref="SgemmKernel"/>'s variants side by side on one thread, at a size the scalar triple loop finishes in
/// tens of milliseconds.
/// </summary>
[Config(typeof(GemmBenchmarkConfig))]
public unsafe class SgemmVariantBenchmarks : IDisposable
{
    private GemmOperands? _operands;

    /// <summary>Square size: the speed suite's <see cref="SpeedShapes.GemmSizes"/>.</summary>
    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = "256";

    /// <summary>The values of <see cref="Shape"/>, as <see cref="GemmBenchmarkConfig.Size"/> reads them.</summary>
    public static IEnumerable<string> Shapes => SpeedShapes.GemmSizes.Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private int Size => GemmBenchmarkConfig.Size(Shape).M;

    [GlobalSetup]
    public void Setup() => _operands = new GemmOperands(Size, Size, Size, salt: 24);

    [Benchmark(Baseline = true)]
    public void Scalar() => SgemmKernel.Scalar(false, false, Size, Size, Size, 1f, _operands!.A.Data, _operands.A.Stride,
        _operands.B.Data, _operands.B.Stride, 0f, _operands.C.Data, _operands.C.Stride, 1);

    [Benchmark]
    public void Avx2() => SgemmKernel.Avx2(false, false, Size, Size, Size, 1f, _operands!.A.Data, _operands.A.Stride,
        _operands.B.Data, _operands.B.Stride, 0f, _operands.C.Data, _operands.C.Stride, 1);

    [Benchmark]
    public void Avx512() => SgemmKernel.Avx512(false, false, Size, Size, Size, 1f, _operands!.A.Data, _operands.A.Stride,
        _operands.B.Data, _operands.B.Stride, 0f, _operands.C.Data, _operands.C.Stride, 1);

    [GlobalCleanup]
    public void Dispose()
    {
        _operands?.Dispose();
        GC.SuppressFinalize(this);
    }
}
