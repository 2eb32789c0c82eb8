using EmbedEngine.Kernels;

namespace EmbedEngine.Text;

/// <summary>Builds the matrix in memory, in arrays sized for the most entries the merge can produce.</summary>
internal sealed class MatrixSink(int rows, long capacity) : CsrSink(rows)
{
    private int[] _columns = new int[CheckedCapacity(capacity)];
    private float[] _values = new float[CheckedCapacity(capacity)];

    /// <summary>The finished matrix: call once, after the last entry.</summary>
    public CsrMatrix ToMatrix()
    {
        long[] rowStarts = FinishRowStarts();
        // Runs that shared pairs leave the arrays longer than the sum.
        if (NonZeros < _columns.Length)
        {
            Array.Resize(ref _columns, (int)NonZeros);
            Array.Resize(ref _values, (int)NonZeros);
        }
        return new CsrMatrix(Rows, rowStarts, _columns, _values);
    }

    protected override void Append(int column, float value)
    {
        _columns[NonZeros] = column;
        _values[NonZeros] = value;
    }

    private static int CheckedCapacity(long capacity) => capacity <= Array.MaxLength
        ? (int)capacity
        : throw new InvalidOperationException(
            $"Up to {capacity:N0} word pairs do not fit in one in-memory matrix; write the matrix to a file instead.");
}
