namespace EmbedEngine.Text;

/// <summary>Merges sorted runs of pairs into one row-major stream, summing a pair's partial sums across runs.</summary>
internal static class PairMerge
{
    /// <summary>Feeds <paramref name="sink"/> every distinct pair of <paramref name="runs"/> once, in key order, rounded to float.</summary>
    public static void Into(IReadOnlyList<PairRun> runs, CsrSink sink) =>
        Sums(runs, (key, sum) => sink.Add((int)(key >> 32), (int)(uint)key, (float)sum));

    /// <summary>Calls <paramref name="emit"/>(key, sum) for every distinct pair of <paramref name="runs"/> once, in key order.</summary>
    public static void Sums(IReadOnlyList<PairRun> runs, Action<ulong, double> emit)
    {
        var queue = new PriorityQueue<PairRun, ulong>(runs.Count);
        foreach (PairRun run in runs)
            if (run.MoveNext()) queue.Enqueue(run, run.Key);

        while (queue.TryDequeue(out PairRun? run, out ulong key))
        {
            double sum = run.Sum;
            Advance(queue, run);
            while (queue.TryPeek(out PairRun? next, out ulong nextKey) && nextKey == key)
            {
                queue.Dequeue();
                sum += next.Sum;
                Advance(queue, next);
            }
            emit(key, sum);
        }
    }

    private static void Advance(PriorityQueue<PairRun, ulong> queue, PairRun run)
    {
        if (!run.MoveNext()) return;
        queue.Enqueue(run, run.Key);
    }
}
