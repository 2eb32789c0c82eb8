namespace EmbedEngine.Text.Tokenizers;

/// <summary>
/// Learns merges from counted pre-tokens: each step merges the adjacent pair that occurs most often (weighted by
/// the pre-tokens' counts), updating only the pre-tokens that hold it.
/// </summary>
/// <remarks>
/// Pair counts live in a table and a max-heap; a pair's index lists the pre-tokens it occurs in (possibly stale
/// or repeated: each is checked when used). The heap is updated lazily: a pair whose count rose is pushed again,
/// and an entry popped with a count that is no longer the pair's is pushed back with the current count, so the
/// first entry popped that matches its pair's count is the true maximum. Every adjacent pair is counted, so
/// "aaa" holds (a, a) twice although one merge fits, as Hugging Face's trainer counts it.
/// Ties: the highest count wins, then the smallest left id, then the smallest right id.
/// </remarks>
internal sealed class MergeLearner
{
    private readonly int[][] _pieces;
    private readonly int[] _lengths;
    private readonly long[] _weights;
    private readonly Dictionary<long, long> _pairCounts = [];
    private readonly Dictionary<long, List<int>> _piecesOfPair = [];
    private readonly PriorityQueue<long, PairPriority> _queue = new(PairPriority.Comparer);
    private readonly Dictionary<long, long> _changes = [];

    /// <param name="pieces">The pre-tokens as token ids; pre-tokens of one token have no pair and may be left out.</param>
    /// <param name="weights">How often each pre-token occurs.</param>
    public MergeLearner(IReadOnlyList<int[]> pieces, IReadOnlyList<long> weights)
    {
        _pieces = [.. pieces];
        _lengths = new int[_pieces.Length];
        _weights = [.. weights];
        for (int p = 0; p < _pieces.Length; p++)
        {
            _lengths[p] = _pieces[p].Length;
            AddPairs(p, _weights[p]);
            IndexPairs(p, holding: null);
        }
        foreach (var (key, change) in _changes) _pairCounts[key] = change;
        foreach (var (key, count) in _pairCounts) _queue.Enqueue(key, PairPriority.Of(key, count));
        _changes.Clear();
    }

    /// <summary>The most frequent pair, merged into <paramref name="newToken"/> everywhere; false when no pair is left.</summary>
    public bool TryMergeNext(int newToken, out int left, out int right)
    {
        while (_queue.TryDequeue(out long key, out PairPriority priority))
        {
            long count = _pairCounts.GetValueOrDefault(key);
            if (count != priority.Count)
            {
                if (count > 0) _queue.Enqueue(key, PairPriority.Of(key, count));
                continue;
            }
            (left, right) = ((int)(key >> 32), (int)key);
            Merge(key, left, right, newToken);
            return true;
        }
        (left, right) = (-1, -1);
        return false;
    }

    private void Merge(long key, int left, int right, int newToken)
    {
        foreach (int p in _piecesOfPair[key])
        {
            if (!Holds(p, left, right)) continue;
            AddPairs(p, -_weights[p]);
            _lengths[p] = Replace(_pieces[p].AsSpan(0, _lengths[p]), left, right, newToken);
            AddPairs(p, _weights[p]);
            IndexPairs(p, holding: newToken);
        }
        _piecesOfPair.Remove(key);
        foreach (var (changed, change) in _changes)
        {
            if (change == 0) continue;
            long count = _pairCounts.GetValueOrDefault(changed) + change;
            if (count == 0) _pairCounts.Remove(changed);
            else _pairCounts[changed] = count;
            if (change > 0) _queue.Enqueue(changed, PairPriority.Of(changed, count));
        }
        _changes.Clear();
    }

    /// <summary>Adds <paramref name="weight"/> to the pending change of every adjacent pair of piece <paramref name="p"/>.</summary>
    private void AddPairs(int p, long weight)
    {
        int[] tokens = _pieces[p];
        for (int i = 0; i + 1 < _lengths[p]; i++)
        {
            long key = MergeTable.Key(tokens[i], tokens[i + 1]);
            _changes[key] = _changes.GetValueOrDefault(key) + weight;
        }
    }

    /// <summary>Lists piece <paramref name="p"/> under its pairs that hold token <paramref name="holding"/> (the only new pairs after a merge), or under all its pairs.</summary>
    private void IndexPairs(int p, int? holding)
    {
        int[] tokens = _pieces[p];
        for (int i = 0; i + 1 < _lengths[p]; i++)
        {
            if (holding is int token && tokens[i] != token && tokens[i + 1] != token) continue;
            long key = MergeTable.Key(tokens[i], tokens[i + 1]);
            if (!_piecesOfPair.TryGetValue(key, out var holders)) _piecesOfPair[key] = holders = [];
            holders.Add(p);
        }
    }

    private bool Holds(int p, int left, int right)
    {
        int[] tokens = _pieces[p];
        for (int i = 0; i + 1 < _lengths[p]; i++)
            if (tokens[i] == left && tokens[i + 1] == right) return true;
        return false;
    }

    /// <summary>Replaces each (left, right), scanning left to right without overlap; returns the new length.</summary>
    private static int Replace(Span<int> tokens, int left, int right, int merged)
    {
        int write = 0;
        for (int read = 0; read < tokens.Length; read++)
        {
            if (read + 1 < tokens.Length && tokens[read] == left && tokens[read + 1] == right)
            {
                tokens[write++] = merged;
                read++;
            }
            else tokens[write++] = tokens[read];
        }
        return write;
    }

    /// <summary>A heap entry: a pair's count when pushed, with the pair's ids for the tie-break.</summary>
    private readonly record struct PairPriority(long Count, int Left, int Right)
    {
        public static readonly IComparer<PairPriority> Comparer = Comparer<PairPriority>.Create(static (a, b) =>
            a.Count != b.Count ? b.Count.CompareTo(a.Count)
            : a.Left != b.Left ? a.Left.CompareTo(b.Left)
            : a.Right.CompareTo(b.Right));

        public static PairPriority Of(long key, long count) => new(count, (int)(key >> 32), (int)key);
    }
}
