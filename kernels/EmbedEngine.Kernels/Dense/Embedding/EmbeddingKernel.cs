using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EmbedEngine.Kernels.Simd;

namespace EmbedEngine.Kernels.Dense;

/// <summary>
/// An embedding table's lookup and its gradient: gather copies the table rows named by indices into an
/// [indices, columns] output; scatter-add adds each gradient row into the table-gradient row its index names, so a
/// row named twice receives both.
/// </summary>
public static unsafe class EmbeddingKernel
{
    /// <summary>output[i] = table[indices[i]], with the variant chosen at start-up.</summary>
    public static void Gather(ReadOnlySpan<float> table, int columns, ReadOnlySpan<int> indices, Span<float> output)
    {
        switch (IsaDispatch.Active)
        {
            case Isa.Avx512: GatherAvx512(table, columns, indices, output); break;
            case Isa.Avx2: GatherAvx2(table, columns, indices, output); break;
            default: GatherScalar(table, columns, indices, output); break;
        }
    }

    /// <summary>tableGrad[indices[i]] += grad[i] in index order, with the variant chosen at start-up.</summary>
    public static void ScatterAdd(ReadOnlySpan<float> grad, ReadOnlySpan<int> indices, Span<float> tableGrad, int columns)
    {
        switch (IsaDispatch.Active)
        {
            case Isa.Avx512: ScatterAddAvx512(grad, indices, tableGrad, columns); break;
            case Isa.Avx2: ScatterAddAvx2(grad, indices, tableGrad, columns); break;
            default: ScatterAddScalar(grad, indices, tableGrad, columns); break;
        }
    }

    /// <summary>Reference.</summary>
    public static void GatherScalar(ReadOnlySpan<float> table, int columns, ReadOnlySpan<int> indices, Span<float> output)
    {
        Check(table.Length, columns, indices, output.Length);
        for (int i = 0; i < indices.Length; i++)
            for (int c = 0; c < columns; c++) output[i * columns + c] = table[indices[i] * columns + c];
    }

    /// <summary>Reference.</summary>
    public static void ScatterAddScalar(ReadOnlySpan<float> grad, ReadOnlySpan<int> indices, Span<float> tableGrad, int columns)
    {
        Check(tableGrad.Length, columns, indices, grad.Length);
        for (int i = 0; i < indices.Length; i++)
            for (int c = 0; c < columns; c++) tableGrad[indices[i] * columns + c] += grad[i * columns + c];
    }

    /// <summary>Vector256.</summary>
    public static void GatherAvx2(ReadOnlySpan<float> table, int columns, ReadOnlySpan<int> indices, Span<float> output) =>
        Gather<Simd256, Vector256<float>>(table, columns, indices, output);

    /// <summary>Vector512.</summary>
    public static void GatherAvx512(ReadOnlySpan<float> table, int columns, ReadOnlySpan<int> indices, Span<float> output) =>
        Gather<Simd512, Vector512<float>>(table, columns, indices, output);

    /// <summary>Vector256.</summary>
    public static void ScatterAddAvx2(ReadOnlySpan<float> grad, ReadOnlySpan<int> indices, Span<float> tableGrad, int columns) =>
        ScatterAdd<Simd256, Vector256<float>>(grad, indices, tableGrad, columns);

    /// <summary>Vector512.</summary>
    public static void ScatterAddAvx512(ReadOnlySpan<float> grad, ReadOnlySpan<int> indices, Span<float> tableGrad, int columns) =>
        ScatterAdd<Simd512, Vector512<float>>(grad, indices, tableGrad, columns);

    /// <summary>Checks the shapes and that every index names a row of the table, before anything is written.</summary>
    private static void Check(int tableLength, int columns, ReadOnlySpan<int> indices, int rowsLength)
    {
        int tableRows = RowMajor.Rows(tableLength, columns);
        RowMajor.Length("rows", rowsLength, indices.Length * columns);
        foreach (int index in indices)
            if ((uint)index >= (uint)tableRows)
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"An index must name a row below {tableRows}.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Gather<TSimd, TVec>(ReadOnlySpan<float> table, int columns, ReadOnlySpan<int> indices, Span<float> output)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        Check(table.Length, columns, indices, output.Length);
        fixed (float* pt = table, po = output)
            for (int i = 0; i < indices.Length; i++)
                SimdLoop<TSimd, TVec>.Columns(columns, new CopyStep<TSimd, TVec>(pt + (nint)indices[i] * columns, po + (nint)i * columns));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScatterAdd<TSimd, TVec>(ReadOnlySpan<float> grad, ReadOnlySpan<int> indices, Span<float> tableGrad, int columns)
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        Check(tableGrad.Length, columns, indices, grad.Length);
        TVec one = TSimd.Create(1f);
        fixed (float* pg = grad, pt = tableGrad)
            for (int i = 0; i < indices.Length; i++)
                SimdLoop<TSimd, TVec>.Columns(columns, new AxpyKernel.Step<TSimd, TVec>(one, pg + (nint)i * columns, pt + (nint)indices[i] * columns));
    }

    private readonly struct CopyStep<TSimd, TVec>(float* source, float* destination) : IColumnStep<TVec>
        where TSimd : struct, ISimd<TVec>
        where TVec : struct
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke<TLanes>(nint column, TLanes lanes)
            where TLanes : struct, ILanes<TVec>
            => lanes.Store(destination + column, lanes.Load(source + column));
    }
}
