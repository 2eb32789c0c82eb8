using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels;

/// <summary>
/// The centroid nearest to a point in squared L2 distance: product quantization's hot loop (k-means steps and
/// encoding). A subspace is tiny (2 floats by default) and holds 256 centroids, so the centroids are stored
/// coordinate-major (<c>centroids[d * count + j]</c>) and the vectorized variants give each lane one centroid.
/// Distances are summed coordinate by coordinate with separate multiply and add, as the reference does, so every
/// variant computes bit-identical distances and every tie goes to the lowest index.
/// </summary>
public static unsafe class NearestCentroidKernel
{
    /// <summary>The index of the centroid nearest to <paramref name="point"/>, with the variant chosen at start-up.</summary>
    /// <param name="point">The point; its length is the subspace's dimension.</param>
    /// <param name="centroids">Coordinate-major: coordinate d of centroid j at <c>d * count + j</c>.</param>
    /// <param name="count">How many centroids.</param>
    /// <returns>The lowest index among the nearest; -1 when <paramref name="count"/> is 0.</returns>
    public static int Nearest(ReadOnlySpan<float> point, ReadOnlySpan<float> centroids, int count) =>
        IsaDispatch.Active switch
        {
            Isa.Avx512 => Avx512(point, centroids, count),
            Isa.Avx2 => Avx2(point, centroids, count),
            _ => Scalar(point, centroids, count),
        };

    /// <summary>Reference: the first centroid strictly closer than every earlier one wins; NaN distances never win.</summary>
    public static int Scalar(ReadOnlySpan<float> point, ReadOnlySpan<float> centroids, int count)
    {
        Check(point, centroids, count);
        int best = count == 0 ? -1 : 0;
        float bestDistance = float.PositiveInfinity;
        for (int j = 0; j < count; j++)
        {
            float distance = 0f;
            for (int d = 0; d < point.Length; d++)
            {
                float difference = point[d] - centroids[d * count + j];
                distance += difference * difference;
            }
            if (distance < bestDistance)
            {
                best = j;
                bestDistance = distance;
            }
        }
        return best;
    }

    /// <summary>Vector256: eight centroids per step.</summary>
    public static int Avx2(ReadOnlySpan<float> point, ReadOnlySpan<float> centroids, int count) =>
        Vectorized<Simd256, Vector256<float>>(point, centroids, count);

    /// <summary>Vector512: sixteen centroids per step.</summary>
    public static int Avx512(ReadOnlySpan<float> point, ReadOnlySpan<float> centroids, int count) =>
        Vectorized<Simd512, Vector512<float>>(point, centroids, count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Vectorized<TSimd, TVec>(ReadOnlySpan<float> point, ReadOnlySpan<float> centroids, int count)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        Check(point, centroids, count);
        if (count == 0) return -1;
        // Each lane keeps its own best distance and index; a lane sees its centroids in increasing order and only
        // a strictly smaller distance replaces its best, so it holds the lowest index of its nearest.
        TVec best = TSimd.Create(float.PositiveInfinity), bestIndex = TSimd.Zero;
        TVec index = TSimd.LaneIndices, step = TSimd.Create(TSimd.Count);
        nint n = count, j = 0;
        fixed (float* x = point, c = centroids)
        {
            for (; j <= n - TSimd.Count; j += TSimd.Count)
            {
                TVec distance = Distances<TSimd, TVec, AllLanes<TSimd, TVec>>(x, point.Length, c + j, n, default);
                TVec closer = TSimd.LessThan(distance, best);
                best = TSimd.Select(closer, distance, best);
                bestIndex = TSimd.Select(closer, index, bestIndex);
                index = TSimd.Add(index, step);
            }
            if (j < n)
            {
                int tail = (int)(n - j);
                TVec distance = Distances<TSimd, TVec, FirstLanes<TSimd, TVec>>(x, point.Length, c + j, n, new(tail));
                TVec closer = TSimd.Select(TSimd.Mask(tail), TSimd.LessThan(distance, best), TSimd.Zero);
                best = TSimd.Select(closer, distance, best);
                bestIndex = TSimd.Select(closer, index, bestIndex);
            }
        }
        return Reduce<TSimd, TVec>(best, bestIndex);
    }

    /// <summary>Squared distances from the point to the centroids of one step, coordinate by coordinate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Distances<TSimd, TVec, TLanes>(float* point, int dimension, float* centroids, nint count, TLanes lanes)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
        where TLanes : struct, ILanes<TVec>
    {
        TVec distance = TSimd.Zero;
        for (int d = 0; d < dimension; d++)
        {
            TVec difference = TSimd.Subtract(TSimd.Create(point[d]), lanes.Load(centroids + d * count));
            distance = TSimd.Add(distance, TSimd.Multiply(difference, difference));
        }
        return distance;
    }

    /// <summary>
    /// The lane with the smallest distance and, among equal ones, the lowest centroid index: two horizontal minima
    /// in registers. Lanes hold no NaN: a NaN distance never replaced the initial +∞.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Reduce<TSimd, TVec>(TVec best, TVec bestIndex)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        TVec nearest = TSimd.Create(TSimd.MinAcross(best));
        TVec candidates = TSimd.Select(TSimd.Equal(best, nearest), bestIndex, TSimd.Create(float.PositiveInfinity));
        return (int)TSimd.MinAcross(candidates);
    }

    private static void Check(ReadOnlySpan<float> point, ReadOnlySpan<float> centroids, int count)
    {
        if (count < 0 || (long)point.Length * count > centroids.Length)
            KernelErrors.CentroidsTooShort(centroids.Length, point.Length, count);
    }
}
