using System.Diagnostics;
using EmbedEngine.Kernels;

namespace EmbedEngine.Text;

/// <summary>
/// Counts windowed word co-occurrences of a corpus, as GloVe's cooccur does: one line is one sentence and no
/// window crosses a line break. Threads count their own lines into their own hash tables; a table that reaches
/// its share of the memory budget is sorted and spilled to disk, and at the end every run is merged into one
/// sparse matrix, so a matrix larger than memory can still be built. The result depends on neither the thread
/// count nor the budget: partial sums are doubles, rounded to float once.
/// </summary>
public static class CooccurrenceCounter
{
    /// <summary>
    /// The most ids read at once; a longer line is split there and no window crosses the split. Far above any
    /// natural sentence, so only unbroken token streams are affected.
    /// </summary>
    internal const int MaxSentenceLength = 1 << 20;

    /// <summary>Memory a thread holds besides its table: its sentence of ids and its read and spill buffers.</summary>
    private const long ThreadOverheadBytes = (MaxSentenceLength * sizeof(int)) + (2 * SpilledRun.BufferBytes);

    /// <summary>Bytes a table slot may cost while the table doubles: the old arrays and the new ones.</summary>
    private const long GrowthBytesPerSlot = PairTable.BytesPerSlot * 3 / 2;

    /// <summary>The smallest table a thread may be given: one block of counts.</summary>
    private const long MinimumTableSlots = 1 << 16;

    /// <summary>
    /// The largest region of frequent pairs counted densely: about 15M cells (118 MiB) per thread, the point past
    /// which a larger block missed the cache more than it saved hashing.
    /// </summary>
    private const long MaxProductLimit = 1 << 20;

    /// <summary>The memory kept for the merge's read buffers and the output's write buffers.</summary>
    private const long MergeReserveBytes = 1 << 20;

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>The smallest memory budget <paramref name="threads"/> counting threads can work in.</summary>
    public static long MinimumMemoryBytes(int threads) =>
        (Math.Max(threads, 1) * (ThreadOverheadBytes + (MinimumTableSlots * GrowthBytesPerSlot))) + MergeReserveBytes;

    /// <summary>
    /// Counts, for each word at position i of a sentence and each context word at position j in [i - window, i),
    /// a weight for (word i, word j), and when symmetric also for (word j, word i). Words outside the vocabulary
    /// are dropped before windowing, as in GloVe.
    /// </summary>
    /// <remarks>The memory budget bounds the counting; the returned matrix needs 8 bytes per nonzero besides.</remarks>
    /// <param name="corpusPath">The corpus to read (plain or gzip).</param>
    /// <param name="vocabulary">Maps words to ids, which are the matrix's rows and columns.</param>
    /// <param name="options">Window, symmetry, distance weighting, threads and memory budget.</param>
    /// <param name="bytesRead">Receives progress as the bytes of the corpus read so far (all threads together).</param>
    /// <param name="cancellation">Stops the counting between sentences.</param>
    /// <returns>A <see cref="Vocabulary.Count"/>-square matrix of the summed weights.</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="CorpusException">The corpus is missing, unreadable or corrupt, or runs cannot be spilled.</exception>
    public static CsrMatrix Count(string corpusPath, Vocabulary vocabulary, CooccurrenceOptions options,
        IProgress<long>? bytesRead = null, CancellationToken cancellation = default) =>
        CountInMemory(corpusPath, vocabulary, options, layout: null, bytesRead, cancellation).Matrix;

    /// <summary>
    /// As <see cref="Count(string, Vocabulary, CooccurrenceOptions, IProgress{long}?, CancellationToken)"/>, but
    /// streams the matrix into a co-occurrence file (written atomically) instead of memory, so the whole run stays
    /// within the memory budget however large the matrix.
    /// </summary>
    /// <param name="corpusPath">The corpus to read (plain or gzip).</param>
    /// <param name="vocabulary">Maps words to ids, which are the matrix's rows and columns.</param>
    /// <param name="options">Window, symmetry, distance weighting, threads and memory budget.</param>
    /// <param name="matrixPath">The file to write, in the format of <see cref="CooccurrenceFile"/>.</param>
    /// <param name="bytesRead">Receives progress as the bytes of the corpus read so far (all threads together).</param>
    /// <param name="cancellation">Stops the counting between sentences; nothing is written then.</param>
    /// <returns>What the run did: pairs, spilled runs, peak table memory.</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="CorpusException">The corpus is missing, unreadable or corrupt, or runs cannot be spilled.</exception>
    public static CooccurrenceStatistics CountToFile(string corpusPath, Vocabulary vocabulary, CooccurrenceOptions options,
        string matrixPath, IProgress<long>? bytesRead = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(matrixPath);
        return CountInto(corpusPath, vocabulary, options, layout: null, part: 0, parts: 1, (runs, scratch) =>
        {
            using var sink = new FileSink(vocabulary.Count, scratch);
            PairMerge.Into(runs, sink);
            sink.Save(matrixPath);
            return sink.NonZeros;
        }, bytesRead, cancellation);
    }

    /// <summary>
    /// Counts the <paramref name="part"/>th of <paramref name="parts"/> line-aligned parts of the corpus (one process's
    /// share of a job) and keeps each pair's sum in double precision, so that sums of parts counted apart
    /// (<see cref="MergeParts"/>) round to float exactly as one count of the whole corpus does.
    /// </summary>
    /// <param name="corpusPath">The corpus to read (plain, or gzip: then every part reads the whole file).</param>
    /// <param name="vocabulary">Maps words to ids, which are the matrix's rows and columns.</param>
    /// <param name="options">Window, symmetry, distance weighting, threads and memory budget.</param>
    /// <param name="part">Which part, 0 … <paramref name="parts"/> − 1.</param>
    /// <param name="parts">Parts the corpus is cut into.</param>
    /// <param name="cancellation">Stops the counting between sentences.</param>
    /// <exception cref="ArgumentException">The options or the part are invalid.</exception>
    /// <exception cref="CorpusException">The corpus is missing, unreadable or corrupt, or runs cannot be spilled.</exception>
    public static CooccurrencePart CountPart(string corpusPath, Vocabulary vocabulary, CooccurrenceOptions options, int part, int parts,
        CancellationToken cancellation = default)
    {
        if (parts < 1 || (uint)part >= (uint)parts) throw new ArgumentException($"Part {part} of {parts} does not exist.", nameof(part));
        var keys = new List<ulong>();
        var sums = new List<double>();
        CountInto(corpusPath, vocabulary, options, layout: null, part, parts, (runs, _) =>
        {
            PairMerge.Sums(runs, (key, sum) =>
            {
                keys.Add(key);
                sums.Add(sum);
            });
            return keys.Count;
        }, bytesRead: null, cancellation);
        return new CooccurrencePart([.. keys], [.. sums]);
    }

    /// <summary>
    /// The <paramref name="rows"/>-square matrix of the summed <paramref name="parts"/> (rounded to float once), such
    /// as the parts of one row range that the processes of a job counted.
    /// </summary>
    /// <exception cref="ArgumentException">A part names a pair outside the matrix.</exception>
    public static CsrMatrix MergeParts(IReadOnlyList<CooccurrencePart> parts, int rows)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var runs = new List<PairRun>();
        long capacity = 0;
        foreach (CooccurrencePart part in parts)
        {
            runs.Add(new TableRun(part.Keys, part.Sums, part.Keys.Length));
            capacity += part.Keys.Length;
        }
        var sink = new MatrixSink(rows, capacity);
        try
        {
            PairMerge.Into(runs, sink);
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException(e.Message, nameof(parts), e);
        }
        return sink.ToMatrix();
    }

    /// <summary>Counts into memory; a forced layout lets tests spill small corpora.</summary>
    internal static (CsrMatrix Matrix, CooccurrenceStatistics Statistics) CountInMemory(string corpusPath,
        Vocabulary vocabulary, CooccurrenceOptions options, CountingLayout? layout,
        IProgress<long>? bytesRead = null, CancellationToken cancellation = default)
    {
        CsrMatrix? matrix = null;
        CooccurrenceStatistics statistics = CountInto(corpusPath, vocabulary, options, layout, part: 0, parts: 1, (runs, _) =>
        {
            long capacity = 0;
            foreach (PairRun run in runs) capacity += run.Length;
            var sink = new MatrixSink(vocabulary.Count, capacity);
            PairMerge.Into(runs, sink);
            matrix = sink.ToMatrix();
            return sink.NonZeros;
        }, bytesRead, cancellation);
        return (matrix!, statistics);
    }

    /// <summary>
    /// Counts the <paramref name="part"/>th of <paramref name="parts"/> line-aligned parts of the corpus with the
    /// options' threads (one shard each, of parts × threads shards) and hands the sorted runs to <paramref name="merge"/>.
    /// </summary>
    private static CooccurrenceStatistics CountInto(string corpusPath, Vocabulary vocabulary, CooccurrenceOptions options,
        CountingLayout? layout, int part, int parts, Func<IReadOnlyList<PairRun>, string, long> merge, IProgress<long>? bytesRead,
        CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(corpusPath);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        layout ??= Layout(options, vocabulary.Count);

        string scratch = CreateScratchFolder(options.TemporaryFolder);
        try
        {
            var workers = new CountingWorker[options.Threads];
            for (int shard = 0; shard < workers.Length; shard++)
                workers[shard] = new CountingWorker(corpusPath, vocabulary, options, part * workers.Length + shard, parts * workers.Length, layout, scratch);
            RunAll(workers, corpusPath, bytesRead, cancellation);

            int spilled = 0;
            long peakTableBytes = 0;
            foreach (CountingWorker worker in workers)
            {
                spilled += worker.SpilledRuns;
                peakTableBytes += worker.PeakBytes;
            }
            // The reserve is shared by the readers of every spilled run.
            int readBuffer = (int)Math.Min(SpilledRun.BufferBytes, MergeReserveBytes / 2 / Math.Max(spilled, 1));
            var runs = new List<PairRun>();
            try
            {
                foreach (CountingWorker worker in workers) runs.AddRange(worker.TakeRuns(readBuffer));
                long nonZeros = merge(runs, scratch);
                return new CooccurrenceStatistics(nonZeros, spilled, peakTableBytes);
            }
            finally
            {
                foreach (PairRun run in runs) run.Dispose();
            }
        }
        finally
        {
            TryDelete(scratch);
        }
    }

    /// <summary>
    /// Splits each thread's share of the budget, once the fixed costs are taken from it: up to a quarter for the
    /// dense block of frequent pairs, the rest for the hash table.
    /// </summary>
    private static CountingLayout Layout(CooccurrenceOptions options, int rows)
    {
        long rowStartBytes = (rows + 1L) * sizeof(long);
        long share = (options.MemoryBytes - MergeReserveBytes - rowStartBytes - (options.Threads * ThreadOverheadBytes)) / options.Threads;
        long maxProduct = MaxProductLimit;
        while (maxProduct > 0 && FrequentPairBlock.BytesFor(maxProduct, rows) > share / 4) maxProduct /= 2;
        long slots = (share - FrequentPairBlock.BytesFor(maxProduct, rows)) / GrowthBytesPerSlot;
        if (slots < MinimumTableSlots)
            throw new ArgumentException(
                $"A memory budget of {options.MemoryBytes / (1024.0 * 1024):0.##} MiB cannot hold one block of counts per thread " +
                $"besides the {rows:N0}-word vocabulary's row index; raise the budget or use fewer threads.", nameof(options));
        return new CountingLayout(slots, maxProduct);
    }

    /// <summary>Runs every worker on its own thread, reporting their combined progress until all are done.</summary>
    private static void RunAll(CountingWorker[] workers, string corpusPath, IProgress<long>? bytesRead, CancellationToken cancellation)
    {
        var tasks = new Task[workers.Length];
        for (int i = 0; i < workers.Length; i++)
        {
            CountingWorker worker = workers[i];
            tasks[i] = Task.Factory.StartNew(() => worker.Run(cancellation), cancellation,
                TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        Task all = Task.WhenAll(tasks);
        long corpusBytes = File.Exists(corpusPath) ? new FileInfo(corpusPath).Length : 0;
        var sinceReport = Stopwatch.StartNew();
        while (!((IAsyncResult)all).AsyncWaitHandle.WaitOne(ProgressInterval))
        {
            if (bytesRead is null || sinceReport.Elapsed < ProgressInterval) continue;
            sinceReport.Restart();
            bytesRead.Report((long)(corpusBytes * Fraction(workers)));
        }
        // Rethrows the first worker's exception as it was thrown.
        all.GetAwaiter().GetResult();
    }

    /// <summary>The share of the corpus read: each gzip shard reads the whole file, each plain shard its range.</summary>
    private static double Fraction(CountingWorker[] workers)
    {
        long read = 0;
        long total = 0;
        foreach (CountingWorker worker in workers)
        {
            read += worker.BytesRead;
            total += worker.ShardBytes;
        }
        return total > 0 ? Math.Min(1.0, (double)read / total) : 0;
    }

    private static string CreateScratchFolder(string? parent)
    {
        string folder = Path.Combine(parent ?? Path.GetTempPath(), $"embed-cooccur-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CorpusException($"Cannot create a folder for spilled counts in '{parent ?? Path.GetTempPath()}': {e.Message}", e);
        }
        return folder;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover scratch folder must not hide the result or the original error.
        }
    }
}
