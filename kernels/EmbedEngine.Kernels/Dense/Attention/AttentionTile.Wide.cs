using System.Runtime.CompilerServices;

namespace EmbedEngine.Kernels.Dense.Attention;

internal static unsafe partial class AttentionTile<TSimd, TVec>
{
    /// <summary>Scores of 4 rows against a 4-vector key tile: 16 accumulators.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WideScores(float* row0, float* row1, float* row2, float* row3, float* panel, int headDim, float scale, float* tile)
    {
        int w = TSimd.Count, keys = 4 * w;
        TVec a00 = TSimd.Zero, a01 = TSimd.Zero, a02 = TSimd.Zero, a03 = TSimd.Zero;
        TVec a10 = TSimd.Zero, a11 = TSimd.Zero, a12 = TSimd.Zero, a13 = TSimd.Zero;
        TVec a20 = TSimd.Zero, a21 = TSimd.Zero, a22 = TSimd.Zero, a23 = TSimd.Zero;
        TVec a30 = TSimd.Zero, a31 = TSimd.Zero, a32 = TSimd.Zero, a33 = TSimd.Zero;
        for (nint c = 0; c < headDim; c++)
        {
            float* k = panel + c * keys;
            TVec k0 = TSimd.Load(k), k1 = TSimd.Load(k + w), k2 = TSimd.Load(k + 2 * w), k3 = TSimd.Load(k + 3 * w);
            TVec b = TSimd.Create(row0[c]);
            a00 = TSimd.MultiplyAdd(b, k0, a00);
            a01 = TSimd.MultiplyAdd(b, k1, a01);
            a02 = TSimd.MultiplyAdd(b, k2, a02);
            a03 = TSimd.MultiplyAdd(b, k3, a03);
            b = TSimd.Create(row1[c]);
            a10 = TSimd.MultiplyAdd(b, k0, a10);
            a11 = TSimd.MultiplyAdd(b, k1, a11);
            a12 = TSimd.MultiplyAdd(b, k2, a12);
            a13 = TSimd.MultiplyAdd(b, k3, a13);
            b = TSimd.Create(row2[c]);
            a20 = TSimd.MultiplyAdd(b, k0, a20);
            a21 = TSimd.MultiplyAdd(b, k1, a21);
            a22 = TSimd.MultiplyAdd(b, k2, a22);
            a23 = TSimd.MultiplyAdd(b, k3, a23);
            b = TSimd.Create(row3[c]);
            a30 = TSimd.MultiplyAdd(b, k0, a30);
            a31 = TSimd.MultiplyAdd(b, k1, a31);
            a32 = TSimd.MultiplyAdd(b, k2, a32);
            a33 = TSimd.MultiplyAdd(b, k3, a33);
        }
        TVec s = TSimd.Create(scale);
        StoreScaled(tile, w, s, a00, a01, a02, a03);
        StoreScaled(tile + keys, w, s, a10, a11, a12, a13);
        StoreScaled(tile + 2 * keys, w, s, a20, a21, a22, a23);
        StoreScaled(tile + 3 * keys, w, s, a30, a31, a32, a33);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreScaled(float* row, int w, TVec scale, TVec v0, TVec v1, TVec v2, TVec v3)
    {
        TSimd.Store(row, TSimd.Multiply(v0, scale));
        TSimd.Store(row + w, TSimd.Multiply(v1, scale));
        TSimd.Store(row + 2 * w, TSimd.Multiply(v2, scale));
        TSimd.Store(row + 3 * w, TSimd.Multiply(v3, scale));
    }

    /// <summary>The rows update of a 4-vector key tile, four vectors of columns at a time: 16 accumulators.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WideAccumulateRows(float* acc, float* rescale, float* tile, float* source, int paddedDim)
    {
        int w = TSimd.Count, keys = 4 * w;
        nint v = 0, stride = paddedDim;
        TVec s0 = TSimd.Create(rescale == null ? 1f : rescale[0]), s1 = TSimd.Create(rescale == null ? 1f : rescale[1]);
        TVec s2 = TSimd.Create(rescale == null ? 1f : rescale[2]), s3 = TSimd.Create(rescale == null ? 1f : rescale[3]);
        for (; v <= stride - 4 * w; v += 4 * w)
        {
            float* a = acc + v;
            TVec a00 = TSimd.Multiply(TSimd.Load(a), s0), a01 = TSimd.Multiply(TSimd.Load(a + w), s0);
            TVec a02 = TSimd.Multiply(TSimd.Load(a + 2 * w), s0), a03 = TSimd.Multiply(TSimd.Load(a + 3 * w), s0);
            float* a1 = a + stride;
            TVec a10 = TSimd.Multiply(TSimd.Load(a1), s1), a11 = TSimd.Multiply(TSimd.Load(a1 + w), s1);
            TVec a12 = TSimd.Multiply(TSimd.Load(a1 + 2 * w), s1), a13 = TSimd.Multiply(TSimd.Load(a1 + 3 * w), s1);
            float* a2 = a + 2 * stride;
            TVec a20 = TSimd.Multiply(TSimd.Load(a2), s2), a21 = TSimd.Multiply(TSimd.Load(a2 + w), s2);
            TVec a22 = TSimd.Multiply(TSimd.Load(a2 + 2 * w), s2), a23 = TSimd.Multiply(TSimd.Load(a2 + 3 * w), s2);
            float* a3 = a + 3 * stride;
            TVec a30 = TSimd.Multiply(TSimd.Load(a3), s3), a31 = TSimd.Multiply(TSimd.Load(a3 + w), s3);
            TVec a32 = TSimd.Multiply(TSimd.Load(a3 + 2 * w), s3), a33 = TSimd.Multiply(TSimd.Load(a3 + 3 * w), s3);
            for (nint j = 0; j < keys; j++)
            {
                float* x = source + j * stride + v;
                TVec x0 = TSimd.Load(x), x1 = TSimd.Load(x + w), x2 = TSimd.Load(x + 2 * w), x3 = TSimd.Load(x + 3 * w);
                TVec b = TSimd.Create(tile[j]);
                a00 = TSimd.MultiplyAdd(b, x0, a00);
                a01 = TSimd.MultiplyAdd(b, x1, a01);
                a02 = TSimd.MultiplyAdd(b, x2, a02);
                a03 = TSimd.MultiplyAdd(b, x3, a03);
                b = TSimd.Create(tile[keys + j]);
                a10 = TSimd.MultiplyAdd(b, x0, a10);
                a11 = TSimd.MultiplyAdd(b, x1, a11);
                a12 = TSimd.MultiplyAdd(b, x2, a12);
                a13 = TSimd.MultiplyAdd(b, x3, a13);
                b = TSimd.Create(tile[2 * keys + j]);
                a20 = TSimd.MultiplyAdd(b, x0, a20);
                a21 = TSimd.MultiplyAdd(b, x1, a21);
                a22 = TSimd.MultiplyAdd(b, x2, a22);
                a23 = TSimd.MultiplyAdd(b, x3, a23);
                b = TSimd.Create(tile[3 * keys + j]);
                a30 = TSimd.MultiplyAdd(b, x0, a30);
                a31 = TSimd.MultiplyAdd(b, x1, a31);
                a32 = TSimd.MultiplyAdd(b, x2, a32);
                a33 = TSimd.MultiplyAdd(b, x3, a33);
            }
            Store4(a, w, a00, a01, a02, a03);
            Store4(a1, w, a10, a11, a12, a13);
            Store4(a2, w, a20, a21, a22, a23);
            Store4(a3, w, a30, a31, a32, a33);
        }
        for (; v < stride; v += w) OneVectorOfRows(acc + v, stride, s0, s1, s2, s3, tile, source + v, keys);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store4(float* row, int w, TVec v0, TVec v1, TVec v2, TVec v3)
    {
        TSimd.Store(row, v0);
        TSimd.Store(row + w, v1);
        TSimd.Store(row + 2 * w, v2);
        TSimd.Store(row + 3 * w, v3);
    }

    /// <summary>The transposed update of a 4-vector key tile, four vectors of columns at a time: 16 row vectors held.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WideAccumulateTransposed(float* acc, float* tile, float* rows, int paddedDim)
    {
        int w = TSimd.Count, keys = 4 * w;
        nint v = 0, stride = paddedDim;
        for (; v <= stride - 4 * w; v += 4 * w)
        {
            float* x = rows + v;
            TVec x00 = TSimd.Load(x), x01 = TSimd.Load(x + w), x02 = TSimd.Load(x + 2 * w), x03 = TSimd.Load(x + 3 * w);
            x += stride;
            TVec x10 = TSimd.Load(x), x11 = TSimd.Load(x + w), x12 = TSimd.Load(x + 2 * w), x13 = TSimd.Load(x + 3 * w);
            x += stride;
            TVec x20 = TSimd.Load(x), x21 = TSimd.Load(x + w), x22 = TSimd.Load(x + 2 * w), x23 = TSimd.Load(x + 3 * w);
            x += stride;
            TVec x30 = TSimd.Load(x), x31 = TSimd.Load(x + w), x32 = TSimd.Load(x + 2 * w), x33 = TSimd.Load(x + 3 * w);
            for (nint j = 0; j < keys; j++)
            {
                float* a = acc + j * stride + v;
                TVec b0 = TSimd.Create(tile[j]), b1 = TSimd.Create(tile[keys + j]);
                TVec b2 = TSimd.Create(tile[2 * keys + j]), b3 = TSimd.Create(tile[3 * keys + j]);
                TVec c0 = TSimd.MultiplyAdd(b0, x00, TSimd.Load(a)), c1 = TSimd.MultiplyAdd(b0, x01, TSimd.Load(a + w));
                TVec c2 = TSimd.MultiplyAdd(b0, x02, TSimd.Load(a + 2 * w)), c3 = TSimd.MultiplyAdd(b0, x03, TSimd.Load(a + 3 * w));
                c0 = TSimd.MultiplyAdd(b1, x10, c0);
                c1 = TSimd.MultiplyAdd(b1, x11, c1);
                c2 = TSimd.MultiplyAdd(b1, x12, c2);
                c3 = TSimd.MultiplyAdd(b1, x13, c3);
                c0 = TSimd.MultiplyAdd(b2, x20, c0);
                c1 = TSimd.MultiplyAdd(b2, x21, c1);
                c2 = TSimd.MultiplyAdd(b2, x22, c2);
                c3 = TSimd.MultiplyAdd(b2, x23, c3);
                Store4(a, w, TSimd.MultiplyAdd(b3, x30, c0), TSimd.MultiplyAdd(b3, x31, c1),
                    TSimd.MultiplyAdd(b3, x32, c2), TSimd.MultiplyAdd(b3, x33, c3));
            }
        }
        for (; v < stride; v += w) OneVectorTransposed(acc + v, stride, tile, rows + v, keys);
    }

    /// <summary>One vector of columns of <see cref="AccumulateRows"/>, for the last columns of a head.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OneVectorOfRows(float* a, nint stride, TVec s0, TVec s1, TVec s2, TVec s3, float* tile, float* source, int keys)
    {
        TVec a0 = TSimd.Multiply(TSimd.Load(a), s0), a1 = TSimd.Multiply(TSimd.Load(a + stride), s1);
        TVec a2 = TSimd.Multiply(TSimd.Load(a + 2 * stride), s2), a3 = TSimd.Multiply(TSimd.Load(a + 3 * stride), s3);
        for (nint j = 0; j < keys; j++)
        {
            TVec x = TSimd.Load(source + j * stride);
            a0 = TSimd.MultiplyAdd(TSimd.Create(tile[j]), x, a0);
            a1 = TSimd.MultiplyAdd(TSimd.Create(tile[keys + j]), x, a1);
            a2 = TSimd.MultiplyAdd(TSimd.Create(tile[2 * keys + j]), x, a2);
            a3 = TSimd.MultiplyAdd(TSimd.Create(tile[3 * keys + j]), x, a3);
        }
        TSimd.Store(a, a0);
        TSimd.Store(a + stride, a1);
        TSimd.Store(a + 2 * stride, a2);
        TSimd.Store(a + 3 * stride, a3);
    }

    /// <summary>One vector of columns of <see cref="AccumulateTransposed"/>, for the last columns of a head.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OneVectorTransposed(float* acc, nint stride, float* tile, float* rows, int keys)
    {
        TVec x0 = TSimd.Load(rows), x1 = TSimd.Load(rows + stride), x2 = TSimd.Load(rows + 2 * stride), x3 = TSimd.Load(rows + 3 * stride);
        for (nint j = 0; j < keys; j++)
        {
            float* a = acc + j * stride;
            TVec sum = TSimd.MultiplyAdd(TSimd.Create(tile[j]), x0, TSimd.Load(a));
            sum = TSimd.MultiplyAdd(TSimd.Create(tile[keys + j]), x1, sum);
            sum = TSimd.MultiplyAdd(TSimd.Create(tile[2 * keys + j]), x2, sum);
            TSimd.Store(a, TSimd.MultiplyAdd(TSimd.Create(tile[3 * keys + j]), x3, sum));
        }
    }
}
