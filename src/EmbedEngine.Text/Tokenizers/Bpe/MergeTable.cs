using System.Runtime.CompilerServices;

namespace EmbedEngine.Text.Tokenizers;

/// <summary>
/// Applies ranked merges to the byte tokens of one pre-token: repeatedly the adjacent pair of lowest rank
/// (leftmost among equals) becomes the merge's result, until no adjacent pair has a merge.
/// </summary>
internal sealed class MergeTable
{
    /// <summary>
    /// Up to this many tokens a rescan per merge (quadratic, but a few lookups for a typical pre-token) beats the
    /// heap; longer pre-tokens (long runs of letters or spaces) take the heap's n·log n.
    /// </summary>
    private const int LongestScanned = 48;

    private readonly Dictionary<long, (int Rank, int Result)> _merges;

    /// <param name="merges">Merges in rank order: rank i joins Left and Right into Result.</param>
    public MergeTable(IReadOnlyList<(int Left, int Right, int Result)> merges)
    {
        _merges = new Dictionary<long, (int, int)>(merges.Count);
        for (int rank = 0; rank < merges.Count; rank++)
            _merges.TryAdd(Key(merges[rank].Left, merges[rank].Right), (rank, merges[rank].Result));
    }

    public int Count => _merges.Count;

    /// <summary>The key of the pair (<paramref name="left"/>, <paramref name="right"/>) in pair tables.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    /// <summary>Merges <paramref name="tokens"/> in place; returns how many tokens remain at its start.</summary>
    public int Apply(Span<int> tokens) => tokens.Length <= LongestScanned ? ApplyByScan(tokens) : ApplyByHeap(tokens);

    internal int ApplyByScan(Span<int> tokens)
    {
        int count = tokens.Length;
        while (count > 1)
        {
            int bestRank = int.MaxValue, bestAt = -1, bestResult = 0;
            for (int i = 0; i + 1 < count; i++)
            {
                if (_merges.TryGetValue(Key(tokens[i], tokens[i + 1]), out var merge) && merge.Rank < bestRank)
                    (bestRank, bestAt, bestResult) = (merge.Rank, i, merge.Result);
            }
            if (bestAt < 0) break;
            tokens[bestAt] = bestResult;
            tokens[(bestAt + 2)..count].CopyTo(tokens[(bestAt + 1)..]);
            count--;
        }
        return count;
    }

    /// <summary>The same merges over a linked list of positions, with a heap of candidate pairs checked when popped.</summary>
    internal int ApplyByHeap(Span<int> tokens)
    {
        int length = tokens.Length;
        var next = new int[length];
        var previous = new int[length];
        for (int i = 0; i < length; i++) (previous[i], next[i]) = (i - 1, i + 1 < length ? i + 1 : -1);
        var candidates = new PriorityQueue<int, (int Rank, int Position)>();
        for (int i = 0; i + 1 < length; i++) Offer(tokens, candidates, i, i + 1);
        while (candidates.TryDequeue(out int at, out var priority))
        {
            // Stale: the left token was merged away (previous = -2), or the pair at this position changed.
            if (previous[at] == -2 || next[at] < 0) continue;
            if (!_merges.TryGetValue(Key(tokens[at], tokens[next[at]]), out var merge) || merge.Rank != priority.Rank) continue;
            int removed = next[at];
            tokens[at] = merge.Result;
            next[at] = next[removed];
            if (next[at] >= 0) previous[next[at]] = at;
            previous[removed] = -2;
            if (previous[at] >= 0) Offer(tokens, candidates, previous[at], at);
            if (next[at] >= 0) Offer(tokens, candidates, at, next[at]);
        }
        int count = 0;
        for (int i = 0; i >= 0; i = next[i]) tokens[count++] = tokens[i];
        return count;
    }

    private void Offer(Span<int> tokens, PriorityQueue<int, (int, int)> candidates, int left, int right)
    {
        if (_merges.TryGetValue(Key(tokens[left], tokens[right]), out var merge)) candidates.Enqueue(left, (merge.Rank, left));
    }
}
