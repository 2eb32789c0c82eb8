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
    private const int Rows = 1024;
    private const int Entries = 4096;
    private const int EntriesPerCall = 16;
    private const float XMax = 100f, Alpha = 0.75f, Eta = 0.05f, GradClip = 100f;

    private NativeMatrix? _w, _c, _gradSqW, _gradSqC;
    private float[] _biasW = [], _biasC = [], _gradSqBiasW = [], _gradSqBiasC = [];
    private int[] _word = [], _context = [];
    private float[] _x = [];
    private int _next;

    /// <summary>Vector length.</summary>
    [Params(100, 200, 300)]
    public int Dim { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // GloVe initializes rows uniformly in ±0.5/dim.
        _w = BenchmarkData.Matrix(Rows, Dim, 0.5f / Dim, salt: 1);
        _c = BenchmarkData.Matrix(Rows, Dim, 0.5f / Dim, salt: 2);
        _gradSqW = Ones(Rows, Dim);
        _gradSqC = Ones(Rows, Dim);
        _biasW = new float[Rows];
        _biasC = new float[Rows];
        _gradSqBiasW = new float[Rows];
        _gradSqBiasC = new float[Rows];
        Array.Fill(_gradSqBiasW, 1f);
        Array.Fill(_gradSqBiasC, 1f);
        var random = new Random(2016);
        _word = new int[Entries];
        _context = new int[Entries];
        _x = new float[Entries];
        for (int e = 0; e < Entries; e++)
        {
            _word[e] = random.Next(Rows);
            _context[e] = random.Next(Rows);
            // Mostly small counts, some past x_max, as in a real co-occurrence matrix.
            _x[e] = (float)Math.Exp(random.NextDouble() * 6);
        }
    }

    private static NativeMatrix Ones(int rows, int columns)
    {
        var m = NativeMatrix.Allocate(rows, columns, padRows: true);
        for (int r = 0; r < rows; r++) m.Row(r).Fill(1f);
        return m;
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
