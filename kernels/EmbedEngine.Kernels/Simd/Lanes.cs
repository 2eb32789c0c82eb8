using System.Runtime.CompilerServices;

namespace EmbedEngine.Kernels.Simd;

/// <summary>
/// How a column step touches memory: every lane (<see cref="AllLanes{TSimd, TVec}"/>, the body of a row) or only
/// the first few (<see cref="FirstLanes{TSimd, TVec}"/>, the row's partial last chunk). A kernel's step is written
/// once against this interface; <see cref="SimdLoop{TSimd, TVec}.Columns"/> picks the lanes.
/// </summary>
/// <typeparam name="TVec">The vector type.</typeparam>
internal unsafe interface ILanes<TVec>
    where TVec : struct
{
    /// <summary>Loads the lanes in use; lanes not in use read as zero.</summary>
    TVec Load(float* source);

    /// <summary>Stores the lanes in use and leaves the memory of the others untouched.</summary>
    void Store(float* destination, TVec value);
}

/// <summary>Every lane is in use: plain loads and stores.</summary>
internal readonly unsafe struct AllLanes<TSimd, TVec> : ILanes<TVec>
    where TSimd : struct, ISimd<TVec>
    where TVec : struct
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVec Load(float* source) => TSimd.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(float* destination, TVec value) => TSimd.Store(destination, value);
}

/// <summary>
/// Only the first lanes are in use: loads and stores that stay inside the row, plain and narrower where the count
/// allows, masked otherwise (see <see cref="ISimd{TVec}.LoadFirst"/>). A masked store cannot forward to a load that
/// follows it (measured on Zen 4: a reload stalls until the store commits), so a kernel that re-reads what it
/// stores keeps the value in a register instead; see LogisticUpdateKernel's batched step.
/// </summary>
internal readonly unsafe struct FirstLanes<TSimd, TVec> : ILanes<TVec>
    where TSimd : struct, ISimd<TVec>
    where TVec : struct
{
    private readonly int _count;

    public FirstLanes(int count) => _count = count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVec Load(float* source) => TSimd.LoadFirst(source, _count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(float* destination, TVec value) => TSimd.StoreFirst(destination, _count, value);
}

/// <summary>
/// One column step of an element-wise or row-blocked kernel: reads and writes the columns
/// [column, column + Count) of every row it works on, only through the lanes it is handed, so the same step
/// serves the full chunks and the masked last one.
/// </summary>
/// <typeparam name="TVec">The vector type.</typeparam>
internal interface IColumnStep<TVec>
    where TVec : struct
{
    /// <summary>Processes the chunk of columns that starts at <paramref name="column"/>.</summary>
    void Invoke<TLanes>(nint column, TLanes lanes)
        where TLanes : struct, ILanes<TVec>;
}
