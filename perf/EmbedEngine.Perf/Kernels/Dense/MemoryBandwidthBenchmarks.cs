using BenchmarkDotNet.Attributes;
using EmbedEngine.Kernels;
using EmbedEngine.Kernels.Dense;

namespace EmbedEngine.Perf.Kernels.Dense;

/// <summary>
/// The optimizer updates on parameters far larger than the caches, next to two bandwidth probes, in one run: each
/// update's bound is the bytes it must move divided by the probes' bandwidth. Bytes per parameter, reads plus writes,
/// every written array also read (so no write-allocate traffic is hidden): Axpy (y += a·x) 12, SGD 20 (w, g, v in;
/// w, v out), AdaGrad 20, Adam/AdamW 28 (w, g, m, v in; w, m, v out), clipping's norm 4. Copy moves 8 counted bytes
/// plus 4 of write-allocate, so the Axpy probe is the fair yardstick.
/// </summary>
[Config(typeof(KernelBenchmarkConfig))]
public unsafe class MemoryBandwidthBenchmarks : DenseBenchmarkBase
{
    /// <summary>16 Mi parameters: 64 MiB per array, 256 MiB for Adam's four, far past every cache level.</summary>
    private const int Parameters = 16 * 1024 * 1024;

    private float* _w, _g, _m, _v;
    private int _step;

    /// <summary>The probe or update.</summary>
    [Params("Copy", "Axpy", "Sgd", "AdaGrad", "Adam", "AdamW", "GlobalNorm")]
    public string Op { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _w = Vector(Parameters);
        _g = Vector(Parameters, 1e-3f);
        _m = Vector(Parameters, 0f);
        _v = Vector(Parameters, 0f);
    }

    /// <summary>The best variant on this CPU, through the public entry points.</summary>
    [Benchmark]
    public float Update()
    {
        Span<float> w = new(_w, Parameters), g = new(_g, Parameters), m = new(_m, Parameters), v = new(_v, Parameters);
        switch (Op)
        {
            case "Copy": g.CopyTo(m); break;
            case "Axpy": AxpyKernel.Axpy(1e-6f, g, w); break;
            case "Sgd": SgdKernel.Update(w, g, m, 1e-3f, 0.9f, nesterov: false); break;
            case "AdaGrad": AdaGradKernel.Update(w, g, v, 1e-3f, 1e-10f); break;
            case "Adam": AdamKernel.Update(w, g, m, v, new AdamSettings(), ++_step); break;
            case "AdamW": AdamKernel.Update(w, g, m, v, AdamSettings.AdamW(), ++_step); break;
            default: return ReductionKernel.SumOfSquares(g);
        }
        return 0f;
    }
}
