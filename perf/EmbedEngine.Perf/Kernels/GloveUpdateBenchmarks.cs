using BenchmarkDotNet.Attributes;
using EmbedEngine.Kernels;

namespace EmbedEngine.Perf.Kernels;

/// <summary>
/// <see cref="GloveUpdateKernel"/> as GloVe's training loop calls it: one step per co-occurrence entry, with GloVe's
/// defaults (x_max 100, α 0.75, η 0.05) and squared-gradient sums started at 1. Each call takes the next
/// <see cref="EntriesPerCall"/> entries of a fixed shuffled list, so rows and sums do not all converge on one entry.
/// </summary>
[Config(typeof(KernelBenchmarkConfig))]
public unsafe class GloveUpdateBenchmarks : IDisposable
{
    private const int Rows = SpeedShapes.GloveRows;
    private const int Entries = SpeedShapes.GloveEntries;
    private const int EntriesPerCall = SpeedShapes.GloveEntriesPerCall;
    private const float XMax = 100f, Alpha = 0.75f, Eta = 0.05f, GradClip = 100f;

    private NativeMatrix? _w, _c, _gradSqW, _gradSqC;
    private float[] _biasW = [], _biasC = [], _gradSqBiasW = [], _gradSqBiasC = [];
    private int[] _word = [], _context = [];
    private float[] _x = [];
    private int _next;

    /// <summary>Vector length: the speed suite's <see cref="SpeedShapes.VectorDims"/>.</summary>
    [ParamsSource(nameof(Dims))]
    public int Dim { get; set; }

    /// <summary>The values of <see cref="Dim"/>.</summary>
    public static IEnumerable<int> Dims => SpeedShapes.VectorDims;

    [GlobalSetup]
    public void Setup()
    {
        // GloVe initializes rows uniformly in ±0.5/dim.
        _w = BenchmarkData.Matrix(Rows, Dim, 0.5f / Dim, salt: 1);
        _c = BenchmarkData.Matrix(Rows, Dim, 0.5f / Dim, salt: 2);
        _gradSqW = BenchmarkData.Ones(Rows, Dim);
        _gradSqC = BenchmarkData.Ones(Rows, Dim);
        _biasW = new float[Rows];
        _biasC = new float[Rows];
        _gradSqBiasW = new float[Rows];
        _gradSqBiasC = new float[Rows];
        Array.Fill(_gradSqBiasW, 1f);
        Array.Fill(_gradSqBiasC, 1f);
        (_word, _context, _x) = BenchmarkData.CooccurrenceEntries(Entries, Rows);
    }

    [Benchmark(Baseline = true)]
    public float Scalar() => Run(&GloveUpdateKernel.Scalar);

    [Benchmark]
    public float Avx2() => Run(&GloveUpdateKernel.Avx2);

    [Benchmark]
    public float Avx512() => Run(&GloveUpdateKernel.Avx512);

    /// <summary>
    /// The entries of one call through <paramref name="variant"/>: one loop for every variant, and an indirect call
    /// costs about a nanosecond against an update's tens to hundreds.
    /// </summary>
    private float Run(delegate*<float*, float*, float*, float*, ref float, ref float, ref float, ref float, int, float, float, float, float, float, float> variant)
    {
        float cost = 0f;
        for (int k = 0; k < EntriesPerCall; k++)
        {
            int e = _next++ & (Entries - 1), i = _word[e], j = _context[e];
            cost += variant(_w!.RowPointer(i), _c!.RowPointer(j), _gradSqW!.RowPointer(i), _gradSqC!.RowPointer(j),
                ref _biasW[i], ref _biasC[j], ref _gradSqBiasW[i], ref _gradSqBiasC[j], Dim, _x[e], XMax, Alpha, Eta, GradClip);
        }
        return cost;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _w?.Dispose();
        _c?.Dispose();
        _gradSqW?.Dispose();
        _gradSqC?.Dispose();
        GC.SuppressFinalize(this);
    }
}
