namespace EmbedEngine.Text.Tests;

public class HuffmanTreeTests
{
    [Fact]
    public void Matches_a_hand_built_word2vec_tree()
    {
        // word2vec.c merges (e1,d2)=n0:3, then n0 with c3 (ties go to the inner node) = n1:6, (b4,a5)=n2:9,
        // (n1,n2)=n3:15, the root. The second-lightest child of each merge takes branch 1.
        var tree = new HuffmanTree(Vocabulary.FromCounts([("a", 5), ("b", 4), ("c", 3), ("d", 2), ("e", 1)]));

        Assert.Equal(4, tree.InnerNodeCount);
        Assert.Equal(3, tree.MaxCodeLength);
        Assert.Equal([1, 1], tree.Codes(0).ToArray());
        Assert.Equal([3, 2], tree.Points(0).ToArray());
        Assert.Equal([1, 0], tree.Codes(1).ToArray());
        Assert.Equal([3, 2], tree.Points(1).ToArray());
        Assert.Equal([0, 1], tree.Codes(2).ToArray());
        Assert.Equal([3, 1], tree.Points(2).ToArray());
        Assert.Equal([0, 0, 1], tree.Codes(3).ToArray());
        Assert.Equal([3, 1, 0], tree.Points(3).ToArray());
        Assert.Equal([0, 0, 0], tree.Codes(4).ToArray());
        Assert.Equal([3, 1, 0], tree.Points(4).ToArray());
    }

    [Fact]
    public void Single_word_has_an_empty_code()
    {
        var tree = new HuffmanTree(Vocabulary.FromCounts([("only", 3)]));

        Assert.Equal(0, tree.InnerNodeCount);
        Assert.Equal(0, tree.MaxCodeLength);
        Assert.True(tree.Codes(0).IsEmpty);
        Assert.True(tree.Points(0).IsEmpty);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(1000)]
    public void Random_frequencies_give_an_optimal_prefix_free_code(int wordCount)
    {
        var random = new Random(wordCount);
        var counts = Enumerable.Range(0, wordCount)
            .Select(i => ($"w{i}", (long)Math.Ceiling(1e6 / Math.Pow(i + 1, 1.1) * random.NextDouble()) + 1))
            .ToList();
        Vocabulary vocabulary = Vocabulary.FromCounts(counts);
        var tree = new HuffmanTree(vocabulary);
        var codes = Enumerable.Range(0, wordCount).Select(id => string.Concat(tree.Codes(id).ToArray())).ToList();

        Assert.Equal(wordCount - 1, tree.InnerNodeCount);
        Assert.Equal(codes.Max(c => c.Length), tree.MaxCodeLength);
        // A full binary tree: the Kraft sum is exactly 1, and no code is a prefix of another.
        Assert.Equal(1.0, codes.Sum(c => Math.Pow(2, -c.Length)), 12);
        var sorted = codes.Order(StringComparer.Ordinal).ToList();
        for (int i = 1; i < sorted.Count; i++) Assert.False(sorted[i].StartsWith(sorted[i - 1], StringComparison.Ordinal));
        // More frequent never means longer (ids are by descending frequency).
        for (int id = 1; id < wordCount; id++) Assert.True(codes[id - 1].Length <= codes[id].Length);
        // The weighted length is the Huffman optimum: the sum of all merged weights.
        long weighted = Enumerable.Range(0, wordCount).Sum(id => vocabulary.Frequency(id) * codes[id].Length);
        Assert.Equal(OptimalWeightedLength(counts.Select(c => c.Item2)), weighted);
        // Every path starts at the root, stays inside the matrix, and words sharing a code prefix share its nodes.
        var nodeOfPrefix = new Dictionary<string, int>();
        for (int id = 0; id < wordCount; id++)
        {
            ReadOnlySpan<int> points = tree.Points(id);
            Assert.Equal(codes[id].Length, points.Length);
            Assert.Equal(wordCount - 2, points[0]);
            for (int step = 0; step < points.Length; step++)
            {
                Assert.InRange(points[step], 0, wordCount - 2);
                int node = nodeOfPrefix.GetValueOrDefault(codes[id][..step], points[step]);
                Assert.Equal(node, points[step]);
                nodeOfPrefix[codes[id][..step]] = node;
            }
        }
        Assert.Equal(wordCount - 1, nodeOfPrefix.Count);
    }

    private static long OptimalWeightedLength(IEnumerable<long> weights)
    {
        var queue = new PriorityQueue<long, long>(weights.Select(w => (w, w)));
        long total = 0;
        while (queue.Count > 1)
        {
            long merged = queue.Dequeue() + queue.Dequeue();
            total += merged;
            queue.Enqueue(merged, merged);
        }
        return total;
    }
}
