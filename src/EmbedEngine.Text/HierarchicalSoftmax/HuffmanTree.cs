namespace EmbedEngine.Text;

/// <summary>
/// The Huffman tree over word frequencies that hierarchical softmax walks, built exactly as word2vec.c's
/// CreateBinaryTree so trained models match: frequent words get short codes. For each word it gives the inner
/// nodes on its path (rows 0..Count-2 of the output matrix) and the branch taken at each (0 or 1), root first.
/// </summary>
/// <remarks>All paths live in two flat arrays indexed through per-word offsets: no array per word.</remarks>
public sealed class HuffmanTree
{
    private readonly int[] _offsets;  // word w's path is [_offsets[w], _offsets[w + 1])
    private readonly int[] _points;
    private readonly byte[] _codes;

    /// <summary>Builds the tree in O(Count) from a vocabulary, whose ids are already by descending frequency.</summary>
    /// <param name="vocabulary">The words and their frequencies.</param>
    public HuffmanTree(Vocabulary vocabulary)
        : this((vocabulary ?? throw new ArgumentNullException(nameof(vocabulary))).Frequencies())
    {
    }

    /// <summary>
    /// Builds the tree in O(Count) from counts by descending value, e.g. a classifier's label counts; fastText's
    /// HierarchicalSoftmaxLoss::buildTree numbers the nodes the same way, so its trained rows fit this tree.
    /// </summary>
    /// <param name="counts">Leaf i's count; at least one.</param>
    public HuffmanTree(IReadOnlyList<long> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Count == 0) throw new ArgumentException("A Huffman tree needs at least one leaf.", nameof(counts));
        int wordCount = counts.Count;
        InnerNodeCount = wordCount - 1;
        (int[] parents, byte[] branches) = Link(counts);

        // Nodes 0..n-1 are the words, n..2n-2 the inner nodes in creation order; a parent is always created after
        // its children, so one downward sweep from the root (node 2n-2) gives every depth.
        int root = 2 * wordCount - 2;
        var depths = new int[root + 1];
        for (int node = root - 1; node >= 0; node--) depths[node] = depths[parents[node]] + 1;

        _offsets = new int[wordCount + 1];
        for (int word = 0; word < wordCount; word++)
        {
            _offsets[word + 1] = checked(_offsets[word] + depths[word]);
            MaxCodeLength = Math.Max(MaxCodeLength, depths[word]);
        }
        _points = new int[_offsets[wordCount]];
        _codes = new byte[_offsets[wordCount]];
        for (int word = 0; word < wordCount; word++)
        {
            // Walk up from the leaf, filling the path from its end so it reads root first.
            int step = _offsets[word + 1];
            for (int node = word; node != root; node = parents[node])
            {
                step--;
                _codes[step] = branches[node];
                _points[step] = parents[node] - wordCount;
            }
        }
    }

    /// <summary>How many inner nodes the tree has (Count - 1): the rows of the hierarchical-softmax output matrix.</summary>
    public int InnerNodeCount { get; }

    /// <summary>The longest code of any word.</summary>
    public int MaxCodeLength { get; }

    /// <summary>The inner nodes on word <paramref name="id"/>'s path, root first, as indices 0..InnerNodeCount-1.</summary>
    public ReadOnlySpan<int> Points(int id) => _points.AsSpan(_offsets[id], _offsets[id + 1] - _offsets[id]);

    /// <summary>The branch (0 or 1) taken at each node of <see cref="Points"/>, root first.</summary>
    public ReadOnlySpan<byte> Codes(int id) => _codes.AsSpan(_offsets[id], _offsets[id + 1] - _offsets[id]);

    /// <summary>
    /// Merges the two lightest nodes until one is left. Words sorted by descending count are one queue (read from
    /// the end) and inner nodes, created in ascending weight, the other, so the two lightest are always at the
    /// queue heads. Ties go to the inner node, as in word2vec.c.
    /// </summary>
    /// <returns>Each node's parent, and the branch bit (1 for the second-lightest child) leading to it.</returns>
    private static (int[] Parents, byte[] Branches) Link(IReadOnlyList<long> counts)
    {
        int wordCount = counts.Count;
        var weights = new long[2 * wordCount];
        for (int word = 0; word < wordCount; word++) weights[word] = counts[word];
        // Inner nodes not created yet weigh more than anything real, so the word queue wins until they exist.
        weights.AsSpan(wordCount).Fill(long.MaxValue);
        var parents = new int[2 * wordCount];
        var branches = new byte[2 * wordCount];

        int nextWord = wordCount - 1;
        int nextInner = wordCount;
        for (int inner = wordCount; inner < 2 * wordCount - 1; inner++)
        {
            int lightest = TakeLightest(weights, ref nextWord, ref nextInner);
            int second = TakeLightest(weights, ref nextWord, ref nextInner);
            weights[inner] = weights[lightest] + weights[second];
            parents[lightest] = inner;
            parents[second] = inner;
            branches[second] = 1;
        }
        return (parents, branches);
    }

    private static int TakeLightest(long[] weights, ref int nextWord, ref int nextInner) =>
        nextWord >= 0 && weights[nextWord] < weights[nextInner] ? nextWord-- : nextInner++;
}
