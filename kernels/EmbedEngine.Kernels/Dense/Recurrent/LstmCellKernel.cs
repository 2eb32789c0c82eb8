using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Dense;

/// <summary>
/// The fused LSTM cell of one time step for a batch of rows, after the GEMMs that sum the input and recurrent
/// projections into the gate pre-activations. Each row of <c>gates</c> holds four blocks of <c>hidden</c> floats in
/// PyTorch's order [i | f | g | o]. Forward: i = σ(aᵢ), f = σ(a_f), g = tanh(a_g), o = σ(a_o), c = f·c₋₁ + i·g,
/// h = o·tanh c; the activated gates overwrite the pre-activations and tanh c is kept, all the backward step needs.
/// Backward, in one pass: dc = dc₊ + dh·o·(1 − tanh²c), then the gate pre-activation gradients
/// dg·(1 − g²), di·i(1 − i), df·f(1 − f), do·o(1 − o) with di = dc·g, dg = dc·i, df = dc·c₋₁, do = dh·tanh c, and the
/// gradient into the previous cell, dc·f.
/// </summary>
public static unsafe class LstmCellKernel
{
    /// <summary>The forward step, with the variant chosen at start-up.</summary>
    /// <param name="size">The hidden size: floats per row of the cell and of each gate block.</param>
    /// <param name="gates">[rows × 4·hidden] pre-activations in, activated gates out.</param>
    /// <param name="previousCell">c₋₁ [rows × hidden].</param>
    /// <param name="cell">c [rows × hidden], written.</param>
    /// <param name="tanhCell">tanh c [rows × hidden], written (the backward step reads it).</param>
    /// <param name="hidden">h [rows × hidden], written.</param>
    public static void Forward(int size, Span<float> gates, ReadOnlySpan<float> previousCell, Span<float> cell, Span<float> tanhCell, Span<float> hidden) =>
        Dispatch.Pick<ForwardFn>(ForwardScalar, ForwardAvx2, ForwardAvx512)(size, gates, previousCell, cell, tanhCell, hidden);

    /// <summary>The backward step, with the variant chosen at start-up.</summary>
    /// <param name="size">The hidden size.</param>
    /// <param name="gates">[rows × 4·hidden] activated gates from the forward step.</param>
    /// <param name="previousCell">c₋₁ [rows × hidden].</param>
    /// <param name="tanhCell">tanh c from the forward step.</param>
    /// <param name="hiddenGrad">dh [rows × hidden]: the loss's gradient at h (from the layer above and the next step).</param>
    /// <param name="cellGrad">[rows × hidden]: dc₊ from the next step in, the gradient into c₋₁ out.</param>
    /// <param name="gateGrad">[rows × 4·hidden], written: the gradients of the pre-activations.</param>
    public static void Backward(int size, ReadOnlySpan<float> gates, ReadOnlySpan<float> previousCell, ReadOnlySpan<float> tanhCell,
        ReadOnlySpan<float> hiddenGrad, Span<float> cellGrad, Span<float> gateGrad) =>
        Dispatch.Pick<BackwardFn>(BackwardScalar, BackwardAvx2, BackwardAvx512)(size, gates, previousCell, tanhCell, hiddenGrad, cellGrad, gateGrad);

    /// <summary>Reference.</summary>
    public static void ForwardScalar(int size, Span<float> gates, ReadOnlySpan<float> previousCell, Span<float> cell, Span<float> tanhCell, Span<float> hidden)
    {
        int rows = Check(size, gates.Length, previousCell.Length, cell.Length, tanhCell.Length, hidden.Length);
        for (int row = 0; row < rows; row++)
        {
            Span<float> a = gates.Slice(row * 4 * size, 4 * size);
            for (int j = 0; j < size; j++)
            {
                float i = Sigmoid(a[j]), f = Sigmoid(a[size + j]), g = MathF.Tanh(a[2 * size + j]), o = Sigmoid(a[3 * size + j]);
                int k = row * size + j;
                float c = f * previousCell[k] + i * g, t = MathF.Tanh(c);
                (a[j], a[size + j], a[2 * size + j], a[3 * size + j]) = (i, f, g, o);
                (cell[k], tanhCell[k], hidden[k]) = (c, t, o * t);
            }
        }
    }

    /// <summary>Reference.</summary>
    public static void BackwardScalar(int size, ReadOnlySpan<float> gates, ReadOnlySpan<float> previousCell, ReadOnlySpan<float> tanhCell,
        ReadOnlySpan<float> hiddenGrad, Span<float> cellGrad, Span<float> gateGrad)
    {
        int rows = CheckBackward(size, gates.Length, previousCell.Length, tanhCell.Length, hiddenGrad.Length, cellGrad.Length, gateGrad.Length);
        for (int row = 0; row < rows; row++)
        {
            ReadOnlySpan<float> a = gates.Slice(row * 4 * size, 4 * size);
            Span<float> da = gateGrad.Slice(row * 4 * size, 4 * size);
            for (int j = 0; j < size; j++)
            {
                int k = row * size + j;
                float i = a[j], f = a[size + j], g = a[2 * size + j], o = a[3 * size + j], t = tanhCell[k], dh = hiddenGrad[k];
                float dc = cellGrad[k] + dh * o * (1f - t * t);
                da[j] = dc * g * (i * (1f - i));
                da[size + j] = dc * previousCell[k] * (f * (1f - f));
                da[2 * size + j] = dc * i * (1f - g * g);
                da[3 * size + j] = dh * t * (o * (1f - o));
                cellGrad[k] = dc * f;
            }
        }
    }

    /// <summary>Vector256.</summary>
    public static void ForwardAvx2(int size, Span<float> gates, ReadOnlySpan<float> previousCell, Span<float> cell, Span<float> tanhCell, Span<float> hidden) =>
        Forward<Simd256, Vector256<float>>(size, gates, previousCell, cell, tanhCell, hidden);

    /// <summary>Vector512.</summary>
    public static void ForwardAvx512(int size, Span<float> gates, ReadOnlySpan<float> previousCell, Span<float> cell, Span<float> tanhCell, Span<float> hidden) =>
        Forward<Simd512, Vector512<float>>(size, gates, previousCell, cell, tanhCell, hidden);

    /// <summary>Vector256.</summary>
    public static void BackwardAvx2(int size, ReadOnlySpan<float> gates, ReadOnlySpan<float> previousCell, ReadOnlySpan<float> tanhCell,
        ReadOnlySpan<float> hiddenGrad, Span<float> cellGrad, Span<float> gateGrad) =>
        Backward<Simd256, Vector256<float>>(size, gates, previousCell, tanhCell, hiddenGrad, cellGrad, gateGrad);

    /// <summary>Vector512.</summary>
    public static void BackwardAvx512(int size, ReadOnlySpan<float> gates, ReadOnlySpan<float> previousCell, ReadOnlySpan<float> tanhCell,
        ReadOnlySpan<float> hiddenGrad, Span<float> cellGrad, Span<float> gateGrad) =>
        Backward<Simd512, Vector512<float>>(size, gates, previousCell, tanhCell, hiddenGrad, cellGrad, gateGrad);

    private delegate void ForwardFn(int size, Span<float> gates, ReadOnlySpan<float> previousCell, Span<float> cell, Span<float> tanhCell, Span<float> hidden);

    private delegate void BackwardFn(int size, ReadOnlySpan<float> gates, ReadOnlySpan<float> previousCell, ReadOnlySpan<float> tanhCell,
        ReadOnlySpan<float> hiddenGrad, Span<float> cellGrad, Span<float> gateGrad);

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Forward<TSimd, TVec>(int size, Span<float> gates, ReadOnlySpan<float> previousCell, Span<float> cell, Span<float> tanhCell, Span<float> hidden)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        int rows = Check(size, gates.Length, previousCell.Length, cell.Length, tanhCell.Length, hidden.Length);
        fixed (float* a = gates, cp = previousCell, c = cell, t = tanhCell, h = hidden)
            for (int row = 0; row < rows; row++)
                SimdLoop<TSimd, TVec>.Columns(size, new ForwardStep<TSimd, TVec>(a + (nint)row * 4 * size, size,
                    cp + (nint)row * size, c + (nint)row * size, t + (nint)row * size, h + (nint)row * size));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Backward<TSimd, TVec>(int size, ReadOnlySpan<float> gates, ReadOnlySpan<float> previousCell, ReadOnlySpan<float> tanhCell,
        ReadOnlySpan<float> hiddenGrad, Span<float> cellGrad, Span<float> gateGrad)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        int rows = CheckBackward(size, gates.Length, previousCell.Length, tanhCell.Length, hiddenGrad.Length, cellGrad.Length, gateGrad.Length);
        fixed (float* a = gates, cp = previousCell, t = tanhCell, dh = hiddenGrad, dc = cellGrad, da = gateGrad)
            for (int row = 0; row < rows; row++)
            {
                nint r = (nint)row * size;
                SimdLoop<TSimd, TVec>.Columns(size, new BackwardStep<TSimd, TVec>(a + 4 * r, size, cp + r, t + r, dh + r, dc + r, da + 4 * r));
            }
    }

    /// <summary>One chunk of a row's columns through the whole forward cell, the four gates read at the same columns of their blocks.</summary>
    private readonly struct ForwardStep<TSimd, TVec>(float* gates, nint size, float* previousCell, float* cell, float* tanhCell, float* hidden)
        : IColumnStep<TVec>
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
        {
            float* a = gates + column;
            TVec i = SimdMath.Sigmoid<TSimd, TVec>(lanes.Load(a));
            TVec f = SimdMath.Sigmoid<TSimd, TVec>(lanes.Load(a + size));
            TVec g = SimdMath.Tanh<TSimd, TVec>(lanes.Load(a + 2 * size));
            TVec o = SimdMath.Sigmoid<TSimd, TVec>(lanes.Load(a + 3 * size));
            TVec c = TSimd.MultiplyAdd(f, lanes.Load(previousCell + column), TSimd.Multiply(i, g));
            TVec t = SimdMath.Tanh<TSimd, TVec>(c);
            lanes.Store(a, i);
            lanes.Store(a + size, f);
            lanes.Store(a + 2 * size, g);
            lanes.Store(a + 3 * size, o);
            lanes.Store(cell + column, c);
            lanes.Store(tanhCell + column, t);
            lanes.Store(hidden + column, TSimd.Multiply(o, t));
        }
    }

    /// <summary>One chunk of a row's columns through the whole backward cell.</summary>
    private readonly struct BackwardStep<TSimd, TVec>(float* gates, nint size, float* previousCell, float* tanhCell, float* hiddenGrad,
        float* cellGrad, float* gateGrad) : IColumnStep<TVec>
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
        {
            float* a = gates + column, da = gateGrad + column;
            TVec one = TSimd.Create(1f);
            TVec i = lanes.Load(a), f = lanes.Load(a + size), g = lanes.Load(a + 2 * size), o = lanes.Load(a + 3 * size);
            TVec t = lanes.Load(tanhCell + column), dh = lanes.Load(hiddenGrad + column);
            TVec dc = TSimd.MultiplyAdd(TSimd.Multiply(dh, o), TSimd.Subtract(one, TSimd.Multiply(t, t)), lanes.Load(cellGrad + column));
            lanes.Store(da, TSimd.Multiply(TSimd.Multiply(dc, g), TSimd.Multiply(i, TSimd.Subtract(one, i))));
            lanes.Store(da + size, TSimd.Multiply(TSimd.Multiply(dc, lanes.Load(previousCell + column)), TSimd.Multiply(f, TSimd.Subtract(one, f))));
            lanes.Store(da + 2 * size, TSimd.Multiply(TSimd.Multiply(dc, i), TSimd.Subtract(one, TSimd.Multiply(g, g))));
            lanes.Store(da + 3 * size, TSimd.Multiply(TSimd.Multiply(dh, t), TSimd.Multiply(o, TSimd.Subtract(one, o))));
            lanes.Store(cellGrad + column, TSimd.Multiply(dc, f));
        }
    }

    /// <summary>The rows the spans hold; throws unless they agree with <paramref name="size"/> and each other.</summary>
    internal static int Check(int size, int gates, int previousCell, int cell, int tanhCell, int hidden)
    {
        int rows = Rows(size, previousCell);
        RowMajor.Length("gates", gates, 4 * previousCell);
        RowMajor.Length("cell", cell, previousCell);
        RowMajor.Length("tanhCell", tanhCell, previousCell);
        RowMajor.Length("hidden", hidden, previousCell);
        return rows;
    }

    internal static int CheckBackward(int size, int gates, int previousCell, int tanhCell, int hiddenGrad, int cellGrad, int gateGrad)
    {
        int rows = Rows(size, previousCell);
        RowMajor.Length("gates", gates, 4 * previousCell);
        RowMajor.Length("tanhCell", tanhCell, previousCell);
        RowMajor.Length("hiddenGrad", hiddenGrad, previousCell);
        RowMajor.Length("cellGrad", cellGrad, previousCell);
        RowMajor.Length("gateGrad", gateGrad, 4 * previousCell);
        return rows;
    }

    private static int Rows(int size, int previousCell)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (size == 0 ? previousCell != 0 : previousCell % size != 0)
            throw new ArgumentException($"previousCell holds {previousCell} floats, not whole rows of {size}.");
        return size == 0 ? 0 : previousCell / size;
    }
}
