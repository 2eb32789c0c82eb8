using System.Runtime.CompilerServices;

namespace EmbedEngine.Text;

/// <summary>
/// Dense sums for the pairs of frequent words: ids are frequency ranks, and every (row, column) with
/// (row + 1)(column + 1) &lt;= <see cref="MaxProduct"/> has its own cell, stored row by row. Under the
/// vocabulary's Zipf shape this hyperbolic region, about P ln P cells for P = MaxProduct, receives most of the
/// corpus's pair events (GloVe's cooccur splits its counts the same way), and a direct index beats hashing them.
/// Not thread-safe.
/// </summary>
internal sealed class FrequentPairBlock
{
    private readonly long[] _rowOffsets;
    private readonly double[] _sums;

    /// <summary>Creates an empty block covering <paramref name="maxProduct"/>'s region of a square matrix.</summary>
    /// <param name="maxProduct">The largest (row + 1)(column + 1) the block holds; 0 for an empty block.</param>
    /// <param name="rows">Rows (and columns) of the whole matrix.</param>
    public FrequentPairBlock(long maxProduct, int rows)
    {
        MaxProduct = maxProduct;
        int blockRows = (int)Math.Min(rows, maxProduct);
        _rowOffsets = new long[blockRows + 1];
        for (int row = 0; row < blockRows; row++)
            _rowOffsets[row + 1] = _rowOffsets[row] + Width(maxProduct, row, rows);
        _sums = new double[_rowOffsets[blockRows]];
    }

    /// <summary>The largest (row + 1)(column + 1) the block holds.</summary>
    public long MaxProduct { get; }

    /// <summary>Bytes the block holds.</summary>
    public long Bytes => (_sums.LongLength * sizeof(double)) + (_rowOffsets.LongLength * sizeof(long));

    /// <summary>Bytes a block of <paramref name="maxProduct"/> takes for a matrix of <paramref name="rows"/> rows.</summary>
    public static long BytesFor(long maxProduct, int rows)
    {
        long cells = 0;
        int blockRows = (int)Math.Min(rows, maxProduct);
        for (int row = 0; row < blockRows; row++) cells += Width(maxProduct, row, rows);
        return (cells * sizeof(double)) + ((blockRows + 1L) * sizeof(long));
    }

    /// <summary>Adds <paramref name="weight"/> to (<paramref name="row"/>, <paramref name="column"/>) if the block holds that pair.</summary>
    /// <returns>False when the pair is outside the block and must be counted elsewhere.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryAdd(int row, int column, double weight)
    {
        if ((row + 1L) * (column + 1L) > MaxProduct) return false;
        _sums[_rowOffsets[row] + column] += weight;
        return true;
    }

    /// <summary>The block's nonzero cells as a sorted run.</summary>
    public PairRun ToRun() => new BlockRun(this);

    /// <summary>Columns of <paramref name="row"/> inside the region: those with (row + 1)(column + 1) &lt;= maxProduct.</summary>
    private static long Width(long maxProduct, int row, int rows) => Math.Min(rows, maxProduct / (row + 1));

    private sealed class BlockRun(FrequentPairBlock block) : PairRun
    {
        private int _row;
        private long _cell = -1;

        public override long Length
        {
            get
            {
                long nonZeros = 0;
                foreach (double sum in block._sums)
                    if (sum != 0) nonZeros++;
                return nonZeros;
            }
        }

        public override bool MoveNext()
        {
            long[] offsets = block._rowOffsets;
            double[] sums = block._sums;
            while (++_cell < sums.LongLength)
            {
                if (sums[_cell] == 0) continue;
                while (_cell >= offsets[_row + 1]) _row++;
                Key = ((ulong)(uint)_row << 32) | (uint)(_cell - offsets[_row]);
                Sum = sums[_cell];
                return true;
            }
            return false;
        }

        public override void Dispose()
        {
            // The sums belong to the block.
        }
    }
}
