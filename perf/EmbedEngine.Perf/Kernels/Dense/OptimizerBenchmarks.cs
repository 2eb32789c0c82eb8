using BenchmarkDotNet.Attributes;
using EmbedEngine.Kernels;
using EmbedEngine.Kernels.Dense;

namespace EmbedEngine.Perf.Kernels.Dense;

/// <summary>The optimizer updates and gradient clipping on an L2-resident parameter: every variant against the scalar reference.</summary>
[Config(typeof(KernelBenchmarkConfig))]
public unsafe class OptimizerBenchmarks : DenseBenchmarkBase
{
    private float* _w, _g, _m, _v;
    private int _step;

    /// <summary>The update.</summary>
    [Params("Sgd", "SgdNesterov", "AdaGrad", "Adam", "AdamW", "ClipByGlobalNorm")]
    public string Op { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _w = Matrix();
        _g = Matrix(1e-3f);
        _m = Matrix(0f);
        _v = Matrix(0f);
    }

    [Benchmark(Baseline = true)]
    public float Scalar() => Run(Isa.Scalar);

    [Benchmark]
    public float Avx2() => Run(Isa.Avx2);

    [Benchmark]
    public float Avx512() => Run(Isa.Avx512);

    private float Run(Isa isa)
    {
        Span<float> w = new(_w, Length), g = new(_g, Length), m = new(_m, Length), v = new(_v, Length);
        switch (Op)
        {
            case "Sgd": Pick(isa, SgdKernel.Scalar, SgdKernel.Avx2, SgdKernel.Avx512)(w, g, m, 1e-3f, 0.9f, false); break;
            case "SgdNesterov": Pick(isa, SgdKernel.Scalar, SgdKernel.Avx2, SgdKernel.Avx512)(w, g, m, 1e-3f, 0.9f, true); break;
            case "AdaGrad": Pick(isa, AdaGradKernel.Scalar, AdaGradKernel.Avx2, AdaGradKernel.Avx512)(w, g, v, 1e-3f, 1e-10f); break;
            case "Adam": Pick(isa, AdamKernel.Scalar, AdamKernel.Avx2, AdamKernel.Avx512)(w, g, m, v, new AdamSettings(), ++_step); break;
            case "AdamW": Pick(isa, AdamKernel.Scalar, AdamKernel.Avx2, AdamKernel.Avx512)(w, g, m, v, AdamSettings.AdamW(), ++_step); break;
            default:
                // A limit above the norm: the norm is computed every call, the scaling (a plain Scale) never.
                return Pick(isa, GradientClipKernel.Scalar, GradientClipKernel.Avx2, GradientClipKernel.Avx512)([new FloatBuffer(_g, Length)], 1e6f);
        }
        return 0f;
    }
}
