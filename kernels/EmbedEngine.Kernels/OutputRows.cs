using System.Runtime.CompilerServices;

namespace EmbedEngine.Kernels;

/// <summary>
/// Where the rows of an output matrix W live for <see cref="LogisticUpdateKernel"/>: row t at Shared + t·Stride,
/// except the rows below <see cref="StagedCount"/>, which one training thread holds in a private copy at
/// Staged + t·Stride. Every thread updates the most frequent words' rows (as targets and as negatives); held privately
/// and merged now and then, they stop the cores from passing those rows' cache lines back and forth on every update.
/// </summary>
public readonly unsafe struct OutputRows
{
    /// <summary>All rows in one matrix.</summary>
    public OutputRows(float* shared, nint stride)
        : this(shared, stride, null, 0)
    {
    }

    /// <summary>Rows below <paramref name="stagedCount"/> at <paramref name="staged"/>, with the same stride.</summary>
    public OutputRows(float* shared, nint stride, float* staged, int stagedCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stagedCount);
        if (stagedCount > 0 && staged == null) throw new ArgumentNullException(nameof(staged), "Staged rows need their copy.");
        Shared = shared;
        Stride = stride;
        Staged = staged;
        StagedCount = stagedCount;
    }

    /// <summary>The whole matrix.</summary>
    public float* Shared { get; }

    /// <summary>Floats between consecutive rows, in both the matrix and the private copy.</summary>
    public nint Stride { get; }

    /// <summary>The private copy of the first <see cref="StagedCount"/> rows; null when there is none.</summary>
    public float* Staged { get; }

    /// <summary>Rows held in the private copy.</summary>
    public int StagedCount { get; }

    /// <summary>All rows of <paramref name="matrix"/>.</summary>
    public static OutputRows Of(NativeMatrix matrix) => new(matrix.Data, matrix.Stride);

    /// <summary>The address of row <paramref name="target"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float* Row(int target) => (target < StagedCount ? Staged : Shared) + target * Stride;
}
