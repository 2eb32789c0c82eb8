using EmbedEngine.Kernels;
using EmbedEngine.Models.Training;

namespace EmbedEngine.Models.FastText.Quantization;

/// <summary>
/// fastText's product quantizer: a row of <see cref="Dimension"/> floats is cut into <see cref="SubspaceCount"/>
/// subspaces of <see cref="SubspaceDimension"/> floats (the last may be shorter), and each subspace is replaced by
/// the index of the nearest of its 256 centroids, learnt by k-means. A row then takes one byte per subspace.
/// Centroids are kept coordinate-major per subspace (<c>[d * 256 + code]</c>) for <see cref="NearestCentroidKernel"/>;
/// fastText's file keeps them centroid-major, see <see cref="CentroidMajor"/>.
/// </summary>
public sealed class ProductQuantizer
{
    /// <summary>Centroids per subspace: codes are one byte.</summary>
    public const int CentroidCount = 256;

    /// <summary>k-means sees at most this many points per centroid of a subspace (fastText's max_points_per_cluster).</summary>
    private const int MaxPointsPerCentroid = 256;

    /// <summary>k-means iterations (fastText's niter).</summary>
    private const int Iterations = 25;

    /// <summary>How far apart the two halves of a split cluster start (fastText's eps).</summary>
    private const float SplitOffset = 1e-7f;

    /// <summary>fastText's seed for the quantizer's shuffles and cluster splits.</summary>
    private const ulong DefaultSeed = 1234;

    private readonly float[] _centroids;
    private FastRandom _random;

    /// <summary>An untrained quantizer for rows of <paramref name="dimension"/> floats.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    public ProductQuantizer(int dimension, int subspaceDimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(subspaceDimension);
        Dimension = dimension;
        SubspaceDimension = Math.Min(subspaceDimension, dimension);
        SubspaceCount = (dimension + SubspaceDimension - 1) / SubspaceDimension;
        LastSubspaceDimension = dimension - (SubspaceCount - 1) * SubspaceDimension;
        _centroids = new float[(long)dimension * CentroidCount];
        _random = new FastRandom(DefaultSeed);
    }

    /// <summary>Floats per row.</summary>
    public int Dimension { get; }

    /// <summary>Bytes per row: one code per subspace.</summary>
    public int SubspaceCount { get; }

    /// <summary>Floats per subspace, the last one excepted.</summary>
    public int SubspaceDimension { get; }

    /// <summary>Floats of the last subspace (<see cref="SubspaceDimension"/> when it divides the dimension).</summary>
    public int LastSubspaceDimension { get; }

    /// <summary>Floats of subspace <paramref name="subspace"/>.</summary>
    public int DimensionOf(int subspace) => subspace == SubspaceCount - 1 ? LastSubspaceDimension : SubspaceDimension;

    /// <summary>The centroids of one subspace, coordinate-major: coordinate d of centroid c at <c>d * 256 + c</c>.</summary>
    public ReadOnlySpan<float> Centroids(int subspace) => Block(subspace);

    /// <summary>Coordinate <paramref name="coordinate"/> of centroid <paramref name="code"/> of <paramref name="subspace"/>.</summary>
    public float Centroid(int subspace, int code, int coordinate) =>
        _centroids[Offset(subspace) + coordinate * CentroidCount + code];

    /// <summary>
    /// Learns every subspace's centroids from the rows of <paramref name="matrix"/> (columns = <see cref="Dimension"/>)
    /// by k-means, each on a random sample of at most 256 points per centroid.
    /// </summary>
    /// <exception cref="ArgumentException">The matrix has fewer than 256 rows or the wrong width.</exception>
    public void Train(NativeMatrix matrix)
    {
        CheckWidth(matrix);
        if (matrix.Rows < CentroidCount)
            throw new ArgumentException($"a matrix of {matrix.Rows} rows is too small to quantize: it needs at least {CentroidCount}");
        int sampled = Math.Min(matrix.Rows, MaxPointsPerCentroid * CentroidCount);
        int[] order = new int[matrix.Rows];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var points = new float[sampled * SubspaceDimension];
        for (int m = 0; m < SubspaceCount; m++)
        {
            int d = DimensionOf(m);
            if (sampled != matrix.Rows) _random.Shuffle(order.AsSpan());
            for (int p = 0; p < sampled; p++)
                matrix.Row(order[p]).Slice(m * SubspaceDimension, d).CopyTo(points.AsSpan(p * d, d));
            KMeans(points.AsSpan(0, sampled * d), d, Block(m));
        }
    }

    /// <summary>Writes the code of every row of <paramref name="matrix"/>: <see cref="SubspaceCount"/> bytes per row.</summary>
    public void Encode(NativeMatrix matrix, Span<byte> codes)
    {
        CheckWidth(matrix);
        if (codes.Length < (long)matrix.Rows * SubspaceCount)
            throw new ArgumentException($"codes hold {codes.Length} bytes; {matrix.Rows} rows need {(long)matrix.Rows * SubspaceCount}");
        for (int row = 0; row < matrix.Rows; row++)
        {
            ReadOnlySpan<float> values = matrix.Row(row);
            for (int m = 0; m < SubspaceCount; m++)
                codes[row * SubspaceCount + m] = (byte)NearestCentroidKernel.Nearest(
                    values.Slice(m * SubspaceDimension, DimensionOf(m)), Block(m), CentroidCount);
        }
    }

    /// <summary>The centroids in fastText's file order: per subspace, centroid by centroid.</summary>
    public float[] CentroidMajor()
    {
        var file = new float[_centroids.Length];
        for (int m = 0; m < SubspaceCount; m++)
        {
            int d = DimensionOf(m), offset = Offset(m);
            for (int code = 0; code < CentroidCount; code++)
                for (int k = 0; k < d; k++) file[offset + code * d + k] = _centroids[offset + k * CentroidCount + code];
        }
        return file;
    }

    /// <summary>A quantizer with the centroids of a file (<paramref name="centroidMajor"/>, as <see cref="CentroidMajor"/> gives them).</summary>
    public static ProductQuantizer FromCentroidMajor(int dimension, int subspaceDimension, ReadOnlySpan<float> centroidMajor)
    {
        var quantizer = new ProductQuantizer(dimension, subspaceDimension);
        if (centroidMajor.Length != quantizer._centroids.Length)
            throw new ArgumentException($"{centroidMajor.Length} centroid floats; dimension {dimension} needs {quantizer._centroids.Length}");
        for (int m = 0; m < quantizer.SubspaceCount; m++)
        {
            int d = quantizer.DimensionOf(m), offset = quantizer.Offset(m);
            for (int code = 0; code < CentroidCount; code++)
                for (int k = 0; k < d; k++) quantizer._centroids[offset + k * CentroidCount + code] = centroidMajor[offset + code * d + k];
        }
        return quantizer;
    }

    /// <summary>
    /// Lloyd's k-means as fastText runs it: centroids start at 256 distinct random points, then each iteration
    /// assigns every point to its nearest centroid and moves each centroid to its points' mean; an empty cluster
    /// takes half of a large one (picked with probability growing with its size), split by ±<see cref="SplitOffset"/>.
    /// </summary>
    private void KMeans(ReadOnlySpan<float> points, int d, Span<float> centroids)
    {
        int n = points.Length / d;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        _random.Shuffle(order.AsSpan());
        for (int c = 0; c < CentroidCount; c++)
            for (int k = 0; k < d; k++) centroids[k * CentroidCount + c] = points[order[c] * d + k];
        var assigned = new byte[n];
        var members = new int[CentroidCount];
        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            for (int i = 0; i < n; i++)
                assigned[i] = (byte)NearestCentroidKernel.Nearest(points.Slice(i * d, d), centroids, CentroidCount);
            MoveToMeans(points, d, assigned, members, centroids);
            SplitEmptyClusters(n, d, members, centroids);
        }
    }

    private static void MoveToMeans(ReadOnlySpan<float> points, int d, byte[] assigned, int[] members, Span<float> centroids)
    {
        centroids.Clear();
        Array.Clear(members);
        for (int i = 0; i < assigned.Length; i++)
        {
            int c = assigned[i];
            members[c]++;
            for (int k = 0; k < d; k++) centroids[k * CentroidCount + c] += points[i * d + k];
        }
        for (int c = 0; c < CentroidCount; c++)
        {
            if (members[c] == 0) continue;
            for (int k = 0; k < d; k++) centroids[k * CentroidCount + c] /= members[c];
        }
    }

    private void SplitEmptyClusters(int n, int d, int[] members, Span<float> centroids)
    {
        for (int empty = 0; empty < CentroidCount; empty++)
        {
            if (members[empty] != 0) continue;
            // Walk the clusters round and round, stopping at one with probability about (size - 1) / (n - 256).
            int donor = 0;
            while (_random.NextFloat() * (n - CentroidCount) >= members[donor] - 1) donor = (donor + 1) % CentroidCount;
            for (int k = 0; k < d; k++)
            {
                float sign = k % 2 == 0 ? -1f : 1f;
                float at = centroids[k * CentroidCount + donor];
                centroids[k * CentroidCount + empty] = at + sign * SplitOffset;
                centroids[k * CentroidCount + donor] = at - sign * SplitOffset;
            }
            members[empty] = members[donor] / 2;
            members[donor] -= members[empty];
        }
    }

    private int Offset(int subspace) => subspace * SubspaceDimension * CentroidCount;

    private Span<float> Block(int subspace) => _centroids.AsSpan(Offset(subspace), DimensionOf(subspace) * CentroidCount);

    private void CheckWidth(NativeMatrix matrix)
    {
        if (matrix.Columns != Dimension)
            throw new ArgumentException($"the matrix has {matrix.Columns} columns; the quantizer was made for {Dimension}");
    }
}
