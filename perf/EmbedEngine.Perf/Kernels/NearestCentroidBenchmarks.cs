using BenchmarkDotNet.Attributes;
using EmbedEngine.Kernels;

namespace EmbedEngine.Perf.Kernels;

/// <summary>
/// <see cref="NearestCentroidKernel"/> as product quantization calls it: one subspace of 256 centroids, a batch of
/// points of dimension 2 (fastText's default <c>-dsub</c>) up to 8, each searched for its nearest centroid.
/// </summary>
[Config(typeof(KernelBenchmarkConfig))]
public unsafe class NearestCentroidBenchmarks
{
    private const int Centroids = 256;
    private const int Points = 1024;

    private float[] _centroids = [], _points = [];

    /// <summary>Subspace dimension.</summary>
    [Params(2, 4, 8)]
    public int Dsub { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2016);
        _centroids = new float[Centroids * Dsub];
        _points = new float[Points * Dsub];
        for (int i = 0; i < _centroids.Length; i++) _centroids[i] = (float)(random.NextDouble() * 2 - 1);
        for (int i = 0; i < _points.Length; i++) _points[i] = (float)(random.NextDouble() * 2 - 1);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Points)]
    public int Scalar() => Run(&NearestCentroidKernel.Scalar);

    [Benchmark(OperationsPerInvoke = Points)]
    public int Avx2() => Run(&NearestCentroidKernel.Avx2);

    [Benchmark(OperationsPerInvoke = Points)]
    public int Avx512() => Run(&NearestCentroidKernel.Avx512);

    private int Run(delegate*<ReadOnlySpan<float>, ReadOnlySpan<float>, int, int> nearest)
    {
        int sum = 0;
        for (int p = 0; p < Points; p++) sum += nearest(_points.AsSpan(p * Dsub, Dsub), _centroids, Centroids);
        return sum;
    }
}
