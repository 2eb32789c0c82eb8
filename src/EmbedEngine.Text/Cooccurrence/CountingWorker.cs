namespace EmbedEngine.Text;

/// <summary>
/// Counts the pairs of one shard of the corpus: those of frequent words into its own dense
/// <see cref="FrequentPairBlock"/>, the rest into its own <see cref="PairTable"/>, which it spills to a sorted run on
/// disk whenever the table reaches its slot limit. Runs on its own thread; nothing is shared.
/// </summary>
/// <param name="corpusPath">The corpus.</param>
/// <param name="vocabulary">Maps words to ids.</param>
/// <param name="options">Window, symmetry and weighting.</param>
/// <param name="shardIndex">Which of the line-aligned byte ranges of the corpus it counts.</param>
/// <param name="shardCount">Ranges the corpus is cut into.</param>
/// <param name="layout">Its table and dense block sizes.</param>
/// <param name="spillFolder">Where its spilled runs go.</param>
internal sealed class CountingWorker(string corpusPath, Vocabulary vocabulary, CooccurrenceOptions options, int shardIndex, int shardCount,
    CountingLayout layout, string spillFolder)
{
    private readonly FrequentPairBlock _frequent = new(layout.MaxProduct, vocabulary.Count);
    private readonly PairTable _table = new(layout.SlotsPerThread);
    private readonly List<string> _runPaths = [];
    private long _bytesRead;
    private (ulong[] Keys, double[] Sums, int Count)? _sorted;

    /// <summary>Bytes of its shard read so far; safe to read from another thread.</summary>
    public long BytesRead => Volatile.Read(ref _bytesRead);

    /// <summary>Length in bytes of its shard (the whole compressed file for gzip).</summary>
    public long ShardBytes { get; private set; }

    /// <summary>Runs spilled to disk so far.</summary>
    public int SpilledRuns => _runPaths.Count;

    /// <summary>The most bytes of counts this worker held at once (tables only grow).</summary>
    public long PeakBytes => _frequent.Bytes + ((long)_table.Slots * PairTable.BytesPerSlot);

    /// <summary>Counts the whole shard.</summary>
    /// <exception cref="CorpusException">The corpus is missing, unreadable or corrupt.</exception>
    public void Run(CancellationToken cancellation)
    {
        int window = options.Window;
        var weights = new double[window + 1];
        for (int distance = 1; distance <= window; distance++)
            weights[distance] = options.DistanceWeighting ? 1.0 / distance : 1.0;

        using var reader = new SentenceReader(corpusPath, vocabulary, CooccurrenceCounter.MaxSentenceLength,
            shardIndex, shardCount, ShardBoundary.LineStart);
        ShardBytes = reader.Length;
        var ids = new int[CooccurrenceCounter.MaxSentenceLength];
        int length;
        while ((length = reader.Read(ids, out _)) >= 0)
        {
            cancellation.ThrowIfCancellationRequested();
            AddSentence(ids.AsSpan(0, length), weights, options.Symmetric);
            Volatile.Write(ref _bytesRead, reader.Position);
        }
        // Sorted here, so the threads sort their tables in parallel before the merge.
        _sorted = _table.Sort();
    }

    /// <summary>
    /// The worker's runs for the merge, once <see cref="Run"/> has finished: those spilled to disk, then what is
    /// left in its table.
    /// </summary>
    /// <param name="readBufferBytes">Read buffer for each spilled run.</param>
    public IEnumerable<PairRun> TakeRuns(int readBufferBytes)
    {
        foreach (string path in _runPaths) yield return SpilledRun.Open(path, readBufferBytes);
        yield return _frequent.ToRun();
        (ulong[] keys, double[] sums, int count) = _sorted ?? throw new InvalidOperationException("The worker has not finished counting.");
        yield return new TableRun(keys, sums, count);
    }

    private void AddSentence(ReadOnlySpan<int> sentence, double[] weights, bool symmetric)
    {
        int window = weights.Length - 1;
        for (int i = 1; i < sentence.Length; i++)
        {
            int word = sentence[i];
            for (int j = Math.Max(0, i - window); j < i; j++)
            {
                int context = sentence[j];
                double weight = weights[i - j];
                if (!_frequent.TryAdd(word, context, weight) && _table.Add(word, context, weight)) Spill();
                if (symmetric && !_frequent.TryAdd(context, word, weight) && _table.Add(context, word, weight)) Spill();
            }
        }
    }

    private void Spill()
    {
        (ulong[] keys, double[] sums, int count) = _table.Sort();
        string path = Path.Combine(spillFolder, $"run-{shardIndex}-{_runPaths.Count}.bin");
        try
        {
            SpilledRun.Write(path, keys, sums, count);
        }
        catch (IOException e)
        {
            throw new CorpusException(
                $"Cannot spill counts to '{spillFolder}': {e.Message} Free some space there, choose another temporary folder, or raise the memory budget.", e);
        }
        _runPaths.Add(path);
        _table.Clear();
    }
}
