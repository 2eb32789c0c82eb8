using System.Runtime.CompilerServices;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Dense.Attention;

/// <summary>
/// The register tiles of the fused attention kernels: a block of <see cref="Rows"/> queries against a tile of
/// <see cref="Keys"/> keys (two vectors). Each is a small GEMM whose accumulators stay in registers, fed by
/// broadcasts of one operand and vector loads of the other (the SGEMM micro-kernel's shape): 8 accumulators, 2 loads
/// and 1 broadcast in flight, which fits AVX2's 16 registers. Every row the tiles read or write is padded with zeros
/// to a whole number of vectors (<see cref="PaddedDim"/>), so no tile needs a masked load or store.
/// </summary>
internal static unsafe class AttentionTile<TSimd, TVec>
    where TSimd : struct, ISimd<TVec>
    where TVec : struct
{
    /// <summary>Queries per block.</summary>
    public const int Rows = 4;

    /// <summary>Keys per tile: two vectors.</summary>
    public static int Keys => 2 * TSimd.Count;

    /// <summary><paramref name="headDim"/> rounded up to whole vectors: the row length of every packed operand.</summary>
    public static int PaddedDim(int headDim) => (headDim + TSimd.Count - 1) / TSimd.Count * TSimd.Count;

    /// <summary>
    /// tile[r, j] = scale · Σ_c rows[r][c] · panel[c, j] for the 4 rows and <see cref="Keys"/> keys of a transposed
    /// panel (row c holds component c of every key of the tile). The rows need only <paramref name="headDim"/> floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scores(float* row0, float* row1, float* row2, float* row3, float* panel, int headDim, float scale, float* tile)
    {
        int w = TSimd.Count, keys = 2 * w;
        TVec a00 = TSimd.Zero, a01 = TSimd.Zero, a10 = TSimd.Zero, a11 = TSimd.Zero;
        TVec a20 = TSimd.Zero, a21 = TSimd.Zero, a30 = TSimd.Zero, a31 = TSimd.Zero;
        for (nint c = 0; c < headDim; c++)
        {
            float* k = panel + c * keys;
            TVec k0 = TSimd.Load(k), k1 = TSimd.Load(k + w);
            TVec b = TSimd.Create(row0[c]);
            a00 = TSimd.MultiplyAdd(b, k0, a00);
            a01 = TSimd.MultiplyAdd(b, k1, a01);
            b = TSimd.Create(row1[c]);
            a10 = TSimd.MultiplyAdd(b, k0, a10);
            a11 = TSimd.MultiplyAdd(b, k1, a11);
            b = TSimd.Create(row2[c]);
            a20 = TSimd.MultiplyAdd(b, k0, a20);
            a21 = TSimd.MultiplyAdd(b, k1, a21);
            b = TSimd.Create(row3[c]);
            a30 = TSimd.MultiplyAdd(b, k0, a30);
            a31 = TSimd.MultiplyAdd(b, k1, a31);
        }
        TVec s = TSimd.Create(scale);
        TSimd.Store(tile, TSimd.Multiply(a00, s));
        TSimd.Store(tile + w, TSimd.Multiply(a01, s));
        TSimd.Store(tile + keys, TSimd.Multiply(a10, s));
        TSimd.Store(tile + keys + w, TSimd.Multiply(a11, s));
        TSimd.Store(tile + 2 * keys, TSimd.Multiply(a20, s));
        TSimd.Store(tile + 2 * keys + w, TSimd.Multiply(a21, s));
        TSimd.Store(tile + 3 * keys, TSimd.Multiply(a30, s));
        TSimd.Store(tile + 3 * keys + w, TSimd.Multiply(a31, s));
    }

    /// <summary>
    /// acc[r] ← rescale[r] · acc[r] + Σ_j tile[r, j] · source[j] for the 4 accumulator rows (<paramref name="acc"/>,
    /// rows <paramref name="paddedDim"/> apart) and the <see cref="Keys"/> rows of <paramref name="source"/>: P·V in
    /// the forward pass (with the online softmax's rescale), dS·K in the backward pass (<paramref name="rescale"/> null).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AccumulateRows(float* acc, float* rescale, float* tile, float* source, int paddedDim)
    {
        int w = TSimd.Count, keys = 2 * w;
        nint v = 0, stride = paddedDim;
        TVec s0 = TSimd.Create(rescale == null ? 1f : rescale[0]), s1 = TSimd.Create(rescale == null ? 1f : rescale[1]);
        TVec s2 = TSimd.Create(rescale == null ? 1f : rescale[2]), s3 = TSimd.Create(rescale == null ? 1f : rescale[3]);
        for (; v <= stride - 2 * w; v += 2 * w)
        {
            float* a = acc + v;
            TVec a00 = TSimd.Multiply(TSimd.Load(a), s0), a01 = TSimd.Multiply(TSimd.Load(a + w), s0);
            TVec a10 = TSimd.Multiply(TSimd.Load(a + stride), s1), a11 = TSimd.Multiply(TSimd.Load(a + stride + w), s1);
            TVec a20 = TSimd.Multiply(TSimd.Load(a + 2 * stride), s2), a21 = TSimd.Multiply(TSimd.Load(a + 2 * stride + w), s2);
            TVec a30 = TSimd.Multiply(TSimd.Load(a + 3 * stride), s3), a31 = TSimd.Multiply(TSimd.Load(a + 3 * stride + w), s3);
            for (nint j = 0; j < keys; j++)
            {
                float* x = source + j * stride + v;
                TVec x0 = TSimd.Load(x), x1 = TSimd.Load(x + w);
                TVec b = TSimd.Create(tile[j]);
                a00 = TSimd.MultiplyAdd(b, x0, a00);
                a01 = TSimd.MultiplyAdd(b, x1, a01);
                b = TSimd.Create(tile[keys + j]);
                a10 = TSimd.MultiplyAdd(b, x0, a10);
                a11 = TSimd.MultiplyAdd(b, x1, a11);
                b = TSimd.Create(tile[2 * keys + j]);
                a20 = TSimd.MultiplyAdd(b, x0, a20);
                a21 = TSimd.MultiplyAdd(b, x1, a21);
                b = TSimd.Create(tile[3 * keys + j]);
                a30 = TSimd.MultiplyAdd(b, x0, a30);
                a31 = TSimd.MultiplyAdd(b, x1, a31);
            }
            TSimd.Store(a, a00);
            TSimd.Store(a + w, a01);
            TSimd.Store(a + stride, a10);
            TSimd.Store(a + stride + w, a11);
            TSimd.Store(a + 2 * stride, a20);
            TSimd.Store(a + 2 * stride + w, a21);
            TSimd.Store(a + 3 * stride, a30);
            TSimd.Store(a + 3 * stride + w, a31);
        }
        if (v < stride)
        {
            // One vector of columns is left (the padded dimension is whole vectors).
            float* a = acc + v;
            TVec a0 = TSimd.Multiply(TSimd.Load(a), s0), a1 = TSimd.Multiply(TSimd.Load(a + stride), s1);
            TVec a2 = TSimd.Multiply(TSimd.Load(a + 2 * stride), s2), a3 = TSimd.Multiply(TSimd.Load(a + 3 * stride), s3);
            for (nint j = 0; j < keys; j++)
            {
                TVec x = TSimd.Load(source + j * stride + v);
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
    }

    /// <summary>
    /// acc[j] += Σ_r tile[r, j] · rows[r] for the <see cref="Keys"/> accumulator rows of a key tile and the 4 rows of
    /// a query block (all <paramref name="paddedDim"/> apart): dV += Pᵀ·dO and dK += dSᵀ·Q in the backward pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AccumulateTransposed(float* acc, float* tile, float* rows, int paddedDim)
    {
        int w = TSimd.Count, keys = 2 * w;
        nint v = 0, stride = paddedDim;
        for (; v <= stride - 2 * w; v += 2 * w)
        {
            float* x = rows + v;
            TVec x00 = TSimd.Load(x), x01 = TSimd.Load(x + w), x10 = TSimd.Load(x + stride), x11 = TSimd.Load(x + stride + w);
            TVec x20 = TSimd.Load(x + 2 * stride), x21 = TSimd.Load(x + 2 * stride + w);
            TVec x30 = TSimd.Load(x + 3 * stride), x31 = TSimd.Load(x + 3 * stride + w);
            for (nint j = 0; j < keys; j++)
            {
                float* a = acc + j * stride + v;
                TVec b0 = TSimd.Create(tile[j]), b1 = TSimd.Create(tile[keys + j]);
                TVec b2 = TSimd.Create(tile[2 * keys + j]), b3 = TSimd.Create(tile[3 * keys + j]);
                TVec lo = TSimd.MultiplyAdd(b0, x00, TSimd.Load(a)), hi = TSimd.MultiplyAdd(b0, x01, TSimd.Load(a + w));
                lo = TSimd.MultiplyAdd(b1, x10, lo);
                hi = TSimd.MultiplyAdd(b1, x11, hi);
                lo = TSimd.MultiplyAdd(b2, x20, lo);
                hi = TSimd.MultiplyAdd(b2, x21, hi);
                TSimd.Store(a, TSimd.MultiplyAdd(b3, x30, lo));
                TSimd.Store(a + w, TSimd.MultiplyAdd(b3, x31, hi));
            }
        }
        if (v < stride)
        {
            float* x = rows + v;
            TVec x0 = TSimd.Load(x), x1 = TSimd.Load(x + stride), x2 = TSimd.Load(x + 2 * stride), x3 = TSimd.Load(x + 3 * stride);
            for (nint j = 0; j < keys; j++)
            {
                float* a = acc + j * stride + v;
                TVec sum = TSimd.MultiplyAdd(TSimd.Create(tile[j]), x0, TSimd.Load(a));
                sum = TSimd.MultiplyAdd(TSimd.Create(tile[keys + j]), x1, sum);
                sum = TSimd.MultiplyAdd(TSimd.Create(tile[2 * keys + j]), x2, sum);
                TSimd.Store(a, TSimd.MultiplyAdd(TSimd.Create(tile[3 * keys + j]), x3, sum));
            }
        }
    }
}
