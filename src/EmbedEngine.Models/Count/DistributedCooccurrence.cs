using System.Runtime.InteropServices;
using EmbedEngine.Distributed;
using EmbedEngine.Kernels;
using EmbedEngine.Kernels.IO;
using EmbedEngine.Models.Training;
using EmbedEngine.Text;

namespace EmbedEngine.Models.Count;

/// <summary>
/// Counts a corpus's co-occurrences across the ranks of an <c>mpirun</c> job. Each rank counts its part of the corpus;
/// then rank r receives every rank's pairs of its range of rows (an equal share of the vocabulary) and sums them, and
/// rank 0 writes the one matrix file from the ranges as they arrive. No rank holds more than its part, its range and
/// (rank 0) one other range. Sums are kept in double precision until the range is summed, so the file is the one a
/// single process writes.
/// </summary>
public static class DistributedCooccurrence
{
    private const int KeysTag = 1, SumsTag = 2, ColumnsTag = 3, ValuesTag = 4;

    /// <summary>Counts and writes the matrix (rank 0 alone writes <paramref name="matrixPath"/>); returns its nonzeros, on every rank.</summary>
    /// <exception cref="ArgumentException">The ranks were started with different options or vocabularies.</exception>
    /// <exception cref="CorpusException">The corpus is missing, unreadable or corrupt.</exception>
    public static long CountToFile(MpiWorld world, string corpusPath, Vocabulary vocabulary, CooccurrenceOptions options, string matrixPath,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(options);
        RankAgreement.Require(world, $"cooccur {options}, {vocabulary.Count} words, {vocabulary.TotalWords} tokens");
        CooccurrencePart mine = CooccurrenceCounter.CountPart(corpusPath, vocabulary, options, world.Rank, world.Size, cancellation);
        CsrMatrix range = SumRange(world, mine, vocabulary.Count);

        // Every rank's row lengths, summed into the whole matrix's: each rank's are zero outside its range.
        var rowLengths = new long[vocabulary.Count];
        for (int row = 0; row < rowLengths.Length; row++) rowLengths[row] = range.RowStarts[row + 1] - range.RowStarts[row];
        world.SumInPlace(rowLengths);
        var rowStarts = new long[vocabulary.Count + 1];
        for (int row = 0; row < rowLengths.Length; row++) rowStarts[row + 1] = rowStarts[row] + rowLengths[row];
        int[] rangeLengths = world.GatherAll([checked((int)range.NonZeros)]);
        if (world.Rank == 0)
            CooccurrenceFile.Save(matrixPath, rowStarts, rowStarts[^1], output =>
            {
                WriteRanges(world, range.ColumnIndices, rangeLengths, ColumnsTag, output);
                WriteRanges(world, range.Values, rangeLengths, ValuesTag, output);
            });
        else
        {
            using (world.Send(range.ColumnIndices.ToArray().AsMemory(), 0, ColumnsTag)) { }
            using (world.Send(range.Values.ToArray().AsMemory(), 0, ValuesTag)) { }
        }
        world.Barrier();
        return rowStarts[^1];
    }

    /// <summary>This rank's range of rows, summed from every rank's pairs in it.</summary>
    private static CsrMatrix SumRange(MpiWorld world, CooccurrencePart mine, int rows)
    {
        int size = world.Size;
        var bounds = new int[size + 1];
        for (int owner = 0; owner <= size; owner++) bounds[owner] = owner == size ? mine.Keys.Length : mine.FirstIndexOfRow(FirstRow(rows, owner, size));
        var counts = new int[size];
        for (int owner = 0; owner < size; owner++) counts[owner] = bounds[owner + 1] - bounds[owner];
        // counts[s × size + o]: the pairs rank s holds of rank o's range.
        int[] allCounts = world.GatherAll(counts);
        var received = new CooccurrencePart[size];
        var requests = new List<MpiRequest>();
        try
        {
            for (int source = 0; source < size; source++)
            {
                if (source == world.Rank)
                {
                    received[source] = new CooccurrencePart(mine.Keys[bounds[source]..bounds[source + 1]], mine.Sums[bounds[source]..bounds[source + 1]]);
                    continue;
                }
                int count = allCounts[source * size + world.Rank];
                received[source] = new CooccurrencePart(new ulong[count], new double[count]);
                requests.Add(world.Receive(received[source].Keys.AsMemory(), source, KeysTag));
                requests.Add(world.Receive(received[source].Sums.AsMemory(), source, SumsTag));
            }
            for (int owner = 0; owner < size; owner++)
            {
                if (owner == world.Rank) continue;
                requests.Add(world.Send(mine.Keys.AsMemory(bounds[owner], counts[owner]), owner, KeysTag));
                requests.Add(world.Send(mine.Sums.AsMemory(bounds[owner], counts[owner]), owner, SumsTag));
            }
        }
        finally
        {
            foreach (MpiRequest request in requests) request.Dispose();
        }
        return CooccurrenceCounter.MergeParts(received, rows);
    }

    /// <summary>Rank 0 writes its own range, then each other rank's as it receives it, in rank order.</summary>
    private static void WriteRanges<T>(MpiWorld world, ReadOnlySpan<T> own, int[] rangeLengths, int tag, ChecksummedStream output) where T : unmanaged
    {
        Write(own, output);
        for (int source = 1; source < world.Size; source++)
        {
            var range = new T[rangeLengths[source]];
            using (world.Receive(range.AsMemory(), source, tag)) { }
            Write<T>(range, output);
        }
    }

    private static void Write<T>(ReadOnlySpan<T> values, ChecksummedStream output) where T : unmanaged
    {
        // In pieces, so no byte span outgrows an int.
        const int Piece = 1 << 20;
        for (int start = 0; start < values.Length; start += Piece)
            output.Write(MemoryMarshal.AsBytes(values.Slice(start, Math.Min(Piece, values.Length - start))));
    }

    private static int FirstRow(int rows, int owner, int size) => (int)((long)rows * owner / size);
}
