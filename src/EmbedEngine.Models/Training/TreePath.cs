using EmbedEngine.Kernels;
using EmbedEngine.Text;

namespace EmbedEngine.Models.Training;

/// <summary>
/// One worker's hierarchical softmax: a word is predicted by the inner nodes on its Huffman path, with the label
/// buffer allocated once. word2vec.c labels each node by the opposite of the word's code bit there, fastText by the
/// bit itself (a node's sigmoid is the probability of branch 1), so the two tools' trained node rows differ in sign:
/// each trainer uses its own tool's convention, and its files read the same in that tool.
/// </summary>
/// <param name="tree">The Huffman tree of the vocabulary.</param>
/// <param name="fastTextBranches">fastText's convention rather than word2vec.c's.</param>
internal sealed unsafe class TreePath(HuffmanTree tree, bool fastTextBranches)
{
    private readonly float[] _labels = new float[tree.MaxCodeLength];

    /// <summary>
    /// Predicts <paramref name="word"/> from <paramref name="hidden"/> (see <see cref="LogisticUpdateKernel"/>); returns
    /// the summed loss, and in <paramref name="predictions"/> how many nodes were scored.
    /// </summary>
    public float Update(ReadOnlySpan<float> hidden, NativeMatrix nodes, int word, float learningRate, Span<float> hiddenGrad,
        SigmoidMode sigmoid, out int predictions)
    {
        ReadOnlySpan<byte> codes = tree.Codes(word);
        for (int d = 0; d < codes.Length; d++) _labels[d] = fastTextBranches ? codes[d] : 1 - codes[d];
        predictions = codes.Length;
        return LogisticUpdateKernel.Update(hidden, OutputRows.Of(nodes), tree.Points(word), _labels.AsSpan(0, codes.Length),
            learningRate, hiddenGrad, sigmoid);
    }
}
